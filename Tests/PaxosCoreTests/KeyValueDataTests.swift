import Testing
@testable import PaxosCore

/// `KeyValueData` against `[String: String]`, the table it replaced.
@Suite struct KeyValueDataTests {
    /// Seeded random writes and deletes on a small key space (so keys collide, runs form and deletes shift
    /// them): after every operation the table holds exactly what a dictionary holds.
    @Test(arguments: [1, 2, 3, 4, 5])
    func matchesADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var data = KeyValueData(), expected: [String: String] = [:]
        for step in 0..<5_000 {
            let key = "k\(random.next() % 300)"
            let value = random.next() % 4 == 0 ? "" : "v\(step)"
            data.apply(RedoRecord(key: key, value: value))
            expected[key] = value.isEmpty ? nil : value
            #expect(data.count == expected.count, "step \(step)")
            #expect(data[key] == expected[key], "step \(step), \(key)")
        }
        #expect(data.dictionary == expected)
        #expect(data.pairs.map(\.key) == expected.keys.sorted())
        for key in (0..<300).map({ "k\($0)" }) { #expect(data[key] == expected[key], "\(key)") }
    }

    /// Whole batches (`apply(_:)` with many records: slots looked up first, then written), with a key written
    /// twice in one batch, deleted and written again, new keys that make the table grow: the same as the
    /// records applied one by one to a dictionary.
    @Test(arguments: [1, 2, 3, 4, 5])
    func batchesMatchADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var data = KeyValueData(), expected: [String: String] = [:]
        for batch in 0..<400 {
            let records = (0..<(1 + random.next(below: 40))).map { n in
                RedoRecord(key: "k\(random.next(below: 120))", value: random.next(below: 4) == 0 ? "" : "v\(batch).\(n)")
            }
            data.apply(records)
            for record in records { expected[record.key] = record.value.isEmpty ? nil : record.value }
            #expect(data.dictionary == expected, "batch \(batch)")
            #expect(data.count == expected.count, "batch \(batch)")
        }
    }

    @Test func rewritingAKeyKeepsOneEntry() {
        var data = KeyValueData()
        for round in 0..<3 {
            for k in 0..<1_024 { data.apply(RedoRecord(key: "k\(k)", value: "v\(round)")) }
        }
        #expect(data.count == 1_024)
        #expect(data["k7"] == "v2")
    }

    @Test func equalityAndHashingIgnoreWriteOrder() {
        var forward = KeyValueData(), backward = KeyValueData()
        for k in 0..<100 { forward["k\(k)"] = "\(k)" }
        for k in (0..<100).reversed() { backward["k\(k)"] = "\(k)" }
        backward["extra"] = "1"
        #expect(forward != backward)
        backward["extra"] = nil
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        backward["k5"] = "other"
        #expect(forward != backward)
    }

    @Test func readsAsSortedPairs() {
        let data: KeyValueData = ["b": "2", "a": "1", "c": "3"]
        #expect(data.pairs.map { "\($0.key)=\($0.value)" } == ["a=1", "b=2", "c=3"])
        #expect(data.description == "[a=1, b=2, c=3]")
        #expect(KeyValueData().isEmpty && KeyValueData().description == "[]")
    }
}

extension KeyValueDataTests {
    /// Copies share storage until one is written: every version stays as it was written, hashing included.
    @Test func copiesAreIndependent() {
        var random = SplitMix64(seed: 9)
        var versions: [KeyValueData] = [KeyValueData()]
        var expected: [[String: String]] = [[:]]
        for step in 0..<3_000 {
            let from = Int(random.next() % UInt64(versions.count))
            var data = versions[from], dict = expected[from]
            let key = "x\(random.next() % 40)"
            let value = random.next() % 3 == 0 ? "" : "\(step)"
            data.apply(RedoRecord(key: key, value: value))
            dict[key] = value.isEmpty ? nil : value
            var hasher = Hasher()
            data.hash(into: &hasher)
            _ = hasher.finalize()
            versions.append(data)
            expected.append(dict)
        }
        for (data, dict) in zip(versions, expected) { #expect(data.dictionary == dict) }
    }
}

extension KeyValueData {
    /// The same data as a dictionary, to compare with one.
    var dictionary: [String: String] { Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) }) }
}
