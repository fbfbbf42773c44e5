#!/usr/bin/env python3
"""Browser test of the live page (`paxos-playground --web PORT`).

    python3 Tests/web/live_page.py PATH/TO/paxos-playground

Starts the REPL in a pseudo-terminal (pexpect) with `--web 0` (any free port), then drives Debian's
chromium through chromedriver (Selenium):

- the control page (with the token) draws the run the REPL typed; clicking an in-flight message and
  its deliver button runs `deliver ID` in the REPL, shown after the prompt as if typed, and the diagram
  gains its events;
- a second page on /watch sees the same run, has no controls, and follows a `step` typed in the REPL;
- crash from a replica's lane, the command box, undo: each shows in the REPL and in its history;
- a half-typed line in the REPL survives a command from the page;
- requests without the token are refused (403, with a body that says why), bad input gets a clear
  error and changes nothing (unknown message id, quit from the page, an empty or multi-line body,
  garbage bytes, a socket closed in the middle of a run), and the REPL goes on;
- quit ends the REPL and closes the port.

Prints `N passed, M failed` and exits non-zero when anything failed. Environment: LIVE_PAGE_SCREENSHOT=PATH
saves a screenshot of the control page (README's picture), LIVE_PAGE_VERBOSE=1 prints the transcript.
"""

import base64
import json
import os
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pexpect
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 30  # seconds; CI runs this beside the checker suites on two cores
PROMPT = r"paxos\[\d+\|t\d+\]> "
passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + name)
    else:
        failed += 1
        print("FAIL  " + name + (": " + detail if detail else ""))


def request(method, url, body=None):
    """(status, body text) of one HTTP request."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def raw(port, payload, read=True):
    """Sends bytes on a fresh connection; returns what came back (or nothing when read is False)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(payload)
        if not read:
            return b""
        s.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
        return b"".join(chunks)


def wait(driver, what, condition):
    try:
        WebDriverWait(driver, TIMEOUT).until(lambda d: condition(d))
        return True
    except Exception as error:  # timeout: the check below reports it
        print("      (waited for " + what + ": " + type(error).__name__ + ")")
        return False


def events_on(driver):
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-events") or "-1")


def main():
    binary = sys.argv[1]
    home = tempfile.mkdtemp(prefix="live-page-")
    env = dict(os.environ, HOME=home, TERM="xterm", NO_COLOR="1")
    env.pop("COLUMNS", None)
    repl = pexpect.spawn(binary, ["--web", "0", "--web-bind", "127.0.0.1"], env=env, encoding="utf-8",
                         timeout=TIMEOUT, dimensions=(50, 200))
    if os.environ.get("LIVE_PAGE_VERBOSE"):
        repl.logfile_read = sys.stdout
    repl.expect(r"control \(drives this session; keep it to yourself\): (http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{32}))")
    control, port, token = repl.match.group(1), int(repl.match.group(2)), repl.match.group(3)
    base = "http://127.0.0.1:%d" % port
    check("the REPL prints the watch URL", "%s/watch" % base in repl.before, repl.before)
    repl.expect(PROMPT)

    def typed(line, output):
        repl.sendline(line)
        repl.expect(output)
        repl.expect(PROMPT)

    def from_page(line):
        """What the REPL printed for `line`, sent from the page: it shows right after the prompt, as if typed."""
        repl.expect(re.escape(line) + "\r\n")
        shown = repl.before
        repl.expect(PROMPT)
        return shown, repl.before

    typed("cluster 3 leader n1", r"n1 leads ballot 1")
    typed("submit x=1", r"client sends t1 to n1")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                 "--hide-scrollbars"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        # The control page draws what the REPL typed.
        driver.get(control)
        check("the control page connects",
              wait(driver, "data-live=open", lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live") == "open"))
        check("the control page draws the REPL's run (1 event)", wait(driver, "1 event", lambda d: events_on(d) == 1),
              "data-events=%d" % events_on(driver))
        control_tab = driver.current_window_handle

        # Click the in-flight message, then its deliver button.
        arrow = driver.find_element(By.CSS_SELECTOR, '#diagram .msg.inflight[data-m="1"] .hit')
        ActionChains(driver).move_to_element(arrow).click().perform()
        button = driver.find_element(By.CSS_SELECTOR, '#selBody button[data-cmd="deliver 1"]')
        check("the selected in-flight message offers deliver, drop, duplicate",
              len(driver.find_elements(By.CSS_SELECTOR, '#selBody button[data-cmd]')) == 3)
        button.click()
        repl.expect(r"deliver 1\r\n")
        check("the REPL shows deliver 1 right after its prompt, as if typed", repl.before == "", repr(repl.before))
        repl.expect(PROMPT)
        check("the REPL's state changed: it prints the delivery's flow (n1 proposes)",
              "§2(2)" in repl.before and "proposes it under ballot 1.n1" in repl.before, repl.before)
        grew = wait(driver, "more events", lambda d: events_on(d) > 1)
        check("the diagram gains the delivery's events", grew, "data-events=%d" % events_on(driver))
        check("message #1 is no longer drawn in flight",
              not driver.find_elements(By.CSS_SELECTOR, '#diagram .msg.inflight[data-m="1"]'))
        check("the page shows the REPL's output of deliver 1", "page> deliver 1" in driver.find_element(By.ID, "liveOutput").text)
        after_deliver = events_on(driver)

        # A second page, read-only, sees the same, and follows what the REPL types.
        driver.switch_to.new_window("tab")
        driver.get(base + "/watch")
        check("the watch page draws the same run", wait(driver, "same events", lambda d: events_on(d) == after_deliver),
              "watch %d, control %d" % (events_on(driver), after_deliver))
        check("the watch page has no controls",
              not driver.find_element(By.ID, "liveControls").is_displayed()
              and not driver.find_elements(By.CSS_SELECTOR, "[data-cmd]:not(#liveControls [data-cmd])"))
        typed("step", r"step|§")
        check("the watch page follows a step typed in the REPL",
              wait(driver, "step's events", lambda d: events_on(d) > after_deliver))
        check("the watch page shows the REPL's typed command", "repl> step" in driver.find_element(By.ID, "liveOutput").text)
        socket_answer = driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            var ws = new WebSocket('ws://' + location.host + '/socket');
            ws.onmessage = function (ev) { var m = JSON.parse(ev.data); if (m.type === 'error') { done(m.error); ws.close(); } };
            ws.onopen = function () { ws.send('deliver 2'); };
            setTimeout(function () { done('no answer'); }, 5000);
        """)
        check("a command sent on the read-only socket is refused",
              socket_answer.startswith("the live feed is read-only"), socket_answer)
        watched = events_on(driver)

        # Crash from a lane, the command box and undo on the control page.
        driver.switch_to.window(control_tab)
        wait(driver, "control follows", lambda d: events_on(d) == watched)
        driver.find_element(By.CSS_SELECTOR, '#laneHeads button[data-cmd="crash n3"]').click()
        shown, printed = from_page("crash n3")
        check("crash from the lane runs crash n3 in the REPL", shown == "" and "n3 crashes" in printed, printed)
        check("the lane offers restart once n3 is down",
              wait(driver, "restart n3", lambda d: d.find_elements(By.CSS_SELECTOR, '#laneHeads button[data-cmd="restart n3"]')))
        box = driver.find_element(By.ID, "cmdBox")
        box.send_keys("restart n3\n")
        shown, printed = from_page("restart n3")
        check("the command box runs restart n3 in the REPL", shown == "" and "n3 restarts" in printed, printed)
        before_undo = events_on(driver)
        driver.find_element(By.CSS_SELECTOR, '#liveControls button[data-cmd="undo"]').click()
        shown, printed = from_page("undo")
        check("undo from the page steps back in the REPL and on the page",
              wait(driver, "undo", lambda d: events_on(d) < before_undo), "%d -> %d" % (before_undo, events_on(driver)))

        if os.environ.get("LIVE_PAGE_SCREENSHOT"):
            arrow = driver.find_elements(By.CSS_SELECTOR, "#diagram .msg.inflight .hit")
            if arrow:
                ActionChains(driver).move_to_element(arrow[0]).click().perform()
                time.sleep(0.3)
            driver.save_screenshot(os.environ["LIVE_PAGE_SCREENSHOT"])
            print("      screenshot: " + os.environ["LIVE_PAGE_SCREENSHOT"])
    finally:
        driver.quit()

    # The token: nothing acts without it.
    status, body = request("POST", base + "/command", "deliver 2")
    check("POST /command without the token: 403 and why", status == 403 and body.startswith(
        "403 forbidden: commands need this session's token"), "%d %r" % (status, body))
    status, body = request("POST", base + "/command?token=" + "0" * 32, "deliver 2")
    check("POST /command with a wrong token: 403", status == 403, "%d %r" % (status, body))
    status, body = request("GET", base + "/")
    check("GET / without the token: 403 and why", status == 403 and body.startswith(
        "403 forbidden: the control page needs this session's token"), "%d %r" % (status, body))
    status, body = request("GET", base + "/watch")
    check("GET /watch needs no token", status == 200 and '"mode": "watch"' in body and token not in body, str(status))
    state_before = request("GET", base + "/state")[1]

    # Bad input from the network: a clear error, nothing changed.
    command = base + "/command?token=" + token
    status, body = request("POST", command, "deliver 999")
    reply = json.loads(body) if status == 400 else {}
    check("an unknown message id: 400 and the REPL's error line",
          reply.get("outcome") == "error" and reply.get("output", [""])[0].startswith("error: message #999 is not in flight"),
          "%d %r" % (status, body))
    shown, printed = from_page("deliver 999")
    status, body = request("POST", command, "quit")
    check("quit from the page: 403", status == 403 and "quit is not allowed from the page" in body, "%d %r" % (status, body))
    status, body = request("POST", command, "web off")
    check("web off from the page: 403", status == 403, "%d %r" % (status, body))
    status, body = request("POST", command, "")
    check("an empty body: 400", status == 400 and body.startswith("400 bad request: the body is empty"), "%d %r" % (status, body))
    status, body = request("POST", command, "step\nquit")
    check("two lines in one body: 400", status == 400 and "one command line per request" in body, "%d %r" % (status, body))
    status, body = request("POST", command, "deliver 999\r\n")
    reply = json.loads(body) if status == 400 else {}
    check("a line ended by CRLF runs whole: #999, not #99",
          reply.get("output", [""])[0].startswith("error: message #999 is not in flight"), "%d %r" % (status, body))
    shown, printed = from_page("deliver 999")
    status, body = request("POST", command, "step\r\nquit")
    check("two lines split by CRLF in one body: 400", status == 400 and "one command line per request" in body,
          "%d %r" % (status, body))
    chunk = b"x" * 4096
    chunked = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(8)) + b"0\r\n\r\n"
    answer = raw(port, b"POST /command?token=" + token.encode() + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    check("a chunked body over the limit: 413", b" 413 " in (answer or b"")[:20], repr((answer or b"")[:80]))
    status, body = request("POST", command, "x" * 20000)
    check("a body of 20000 bytes: 413", status == 413 and body.startswith("413 payload too large: the body is one command line"),
          "%d %r" % (status, body))
    status, body = request("GET", base + "/nowhere")
    check("an unknown path: 404 and where the page is", status == 404 and "/watch" in body, "%d %r" % (status, body))
    status, body = request("DELETE", base + "/watch")
    check("a wrong method: 405", status == 405, "%d %r" % (status, body))
    raw(port, b"\x00\x01garbage that is not HTTP\r\n\r\n")
    raw(port, b"POST /command?token=" + token.encode() + b" HTTP/1.1\r\nContent-Length: 12\r\n\r\nrun for", read=False)
    status, body = request("GET", base + "/state")
    check("after garbage and a cut request, nothing changed", status == 200 and body == state_before)
    raw(port, b"POST /command?token=" + token.encode() + b" HTTP/1.1\r\nContent-Length: 10\r\n\r\nrun for 20", read=False)
    shown, printed = from_page("run for 20")
    check("a socket closed in the middle of a run: the run ends, the REPL goes on", "§" in printed, printed)

    # A half-typed line survives a command from the page.
    repl.send("sho")
    time.sleep(0.3)
    status, _ = request("POST", command, "pending")
    shown, printed = from_page("pending")
    repl.send("w\r")
    repl.expect(r"replica +role +ballot")
    repl.expect(PROMPT)
    check("the half-typed line comes back after the page's command", status == 200 and "sho" in shown, repr(shown))

    # History: the page's commands are there as if typed.
    repl.sendline("history")
    repl.expect(PROMPT)
    history = repl.before
    wanted = ["deliver 1", "step", "crash n3", "restart n3", "undo", "run for 20", "pending", "show"]
    lines = [re.sub(r"^\s*\d+\s+", "", l).strip() for l in history.splitlines()]
    check("history holds the page's commands in order, as typed",
          [l for l in lines if l in wanted] == wanted, "\n" + history)

    # A command that comes while the REPL is busy (here: asking a quiz question) waits, then runs as if typed.
    typed("cluster 3 leader n1", r"n1 leads ballot 1")
    typed("quiz on", r"quiz on: before each")
    typed("submit x=1", r"client sends t1 to n1")
    typed("step", r"proposes it under ballot 1\.n1")
    repl.sendline("step")
    repl.expect(r"accept or reject\? ")
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(request("POST", command, "pending")))
    waiting.start()
    time.sleep(0.5)
    check("a command from the page waits while the REPL asks a quiz question", not answers, str(answers))
    repl.sendline("accept")
    shown, printed = from_page("pending")
    waiting.join(TIMEOUT)
    check("then it runs, shown after the next prompt as if typed",
          re.search(PROMPT + "$", shown) is not None and answers and answers[0][0] == 200 and "in flight" in printed,
          "%r %r" % (shown[-200:], answers))

    # Ctrl-C at the prompt abandons the line being typed; the page keeps working.
    repl.send("sho")
    repl.sendintr()
    repl.expect(PROMPT)
    status, _ = request("POST", command, "pending")
    shown, printed = from_page("pending")
    check("after Ctrl-C at the prompt the page still drives the REPL", status == 200 and "in flight" in printed, printed)

    # Many pages leave at once, then new ones come: every request is answered. (FlyingFox's epoll queue lost
    # the registration of a connection that reused the descriptor of one closed mid-wait: its request stayed
    # unread for good; outside audit, round 9. The server polls what its connections wait for instead.)
    def page_socket():
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall(("GET /socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                answer += s.recv(4096)
        except OSError:
            pass
        return s, answer.startswith(b"HTTP/1.1 101")

    def answered():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
                s.sendall(b"GET /state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return s.recv(15) == b"HTTP/1.1 200 OK"
        except OSError:
            return False

    typed("quiz off", r"quiz off")
    typed("cluster 3 leader n1", r"n1 leads ballot 1")
    typed("view compact", r"view compact")
    unanswered, refused = 0, 0
    for _ in range(4):
        pages = [page_socket() for _ in range(100)]
        refused += sum(1 for _, upgraded in pages if not upgraded)
        for _ in range(10):
            repl.sendline("tick 100")
            repl.expect(PROMPT)
            for page, _ in pages:
                page.setblocking(False)
                try:
                    while page.recv(1 << 20):
                        pass
                except OSError:
                    pass
        for page, _ in pages:
            page.close()
        unanswered += sum(1 for _ in range(100) if not answered())
    check("after 4 rounds of 100 pages leaving at once, every handshake and all 400 requests are answered",
          unanswered == 0 and refused == 0, "%d unanswered, %d handshakes refused" % (unanswered, refused))

    # quit: the REPL ends and the port closes.
    repl.sendline("quit")
    repl.expect(pexpect.EOF)
    repl.close()
    check("quit ends the REPL with status 0", repl.exitstatus == 0, str(repl.exitstatus))
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        closed = False
    except OSError:
        closed = True
    check("the port is closed after quit", closed)

    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
