#!/usr/bin/env python3
"""Screenshots the live page (README's picture) in headless chromium, driven by Selenium.

    python3 Scripts/render-live.py PATH/TO/paxos-playground OUT.png

Starts the REPL with `--web 0` and its input piped, types the first lines of Example 04 (a transaction
committed, then n1 crashes and n2 stands), opens the control page, selects the first message still in
flight and saves a 1400x1000 screenshot. Needs chromium, chromium-driver and selenium (as the browser test).
"""

import re
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

LINES = ["cluster 3 leader n1", "submit x=1", "run", "crash n1", "tick 4", "step 2"]

binary, out = sys.argv[1], sys.argv[2]
repl = subprocess.Popen([binary, "--web", "0", "--no-color"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        text=True, bufsize=1)
control = None
while control is None:
    line = repl.stdout.readline()
    if not line:
        sys.exit("the REPL ended before printing the control URL")
    match = re.search(r"control \(drives this session; keep it to yourself\): (\S+)", line)
    control = match.group(1) if match else None
for line in LINES:
    repl.stdin.write(line + "\n")
repl.stdin.flush()
time.sleep(1)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000", "--hide-scrollbars"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(control)
    WebDriverWait(driver, 10).until(lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-events") or 0) > 10)
    arrows = driver.find_elements(By.CSS_SELECTOR, "#diagram .msg.inflight .hit")
    if arrows:
        ActionChains(driver).move_to_element(arrows[0]).click().perform()
    time.sleep(0.5)
    driver.save_screenshot(out)
    print("screenshot: " + out)
finally:
    driver.quit()
    repl.stdin.write("quit\n")
    repl.stdin.close()
    repl.wait(timeout=10)
