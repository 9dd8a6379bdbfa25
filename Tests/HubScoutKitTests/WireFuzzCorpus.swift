import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Support for `WireFuzzTests`: a seeded generator, mutations, the recorded seeds, and a harness that
// times every input, records hangs, and names the input in flight if the process dies on a trap.

// MARK: - Budget

/// How many inputs each fuzz test feeds its decoder.
///
/// The default run uses each test's fixed sample. `HUBSCOUT_FUZZ_ITERATIONS=N` runs N inputs per decoder
/// (the first inputs are the default sample: inputs depend only on the seed and their index);
/// the cache scanner builds N/10 trees, each on disk (`HUBSCOUT_FUZZ_TREES` overrides). `HUBSCOUT_FUZZ_SEED` explores
/// other inputs.
enum FuzzBudget {
    static let iterationsKey = "HUBSCOUT_FUZZ_ITERATIONS"
    static let treesKey = "HUBSCOUT_FUZZ_TREES"
    static let seedKey = "HUBSCOUT_FUZZ_SEED"

    /// An input using more CPU than this is a hang (recorded, and the test fails). CPU time of the thread, not
    /// wall time: a runaway parse burns CPU, while a loaded machine only makes the wall clock run ahead.
    static let hangSeconds = 2.0
    /// An input still running after this long is stuck: the watchdog names it and aborts the process.
    static var abortSeconds: Double { number("HUBSCOUT_FUZZ_ABORT_SECONDS").map(Double.init) ?? 60 }

    private static func number(_ key: String) -> Int? {
        guard let text = ProcessInfo.processInfo.environment[key], let value = Int(text), value > 0 else { return nil }
        return value
    }

    /// Inputs for a decoder: the fixed `sample`, or the requested count.
    static func inputs(sample: Int) -> Int { number(iterationsKey) ?? sample }

    /// Cache trees for the scanner (each is built on disk, so far fewer than inputs).
    static func trees(sample: Int) -> Int {
        number(treesKey) ?? number(iterationsKey).map { max(sample, $0 / 10) } ?? sample
    }

    /// The base seed; each test mixes in its own constant.
    static var seed: UInt64 {
        guard let text = ProcessInfo.processInfo.environment[seedKey] else { return 0x4855_4253_434F_5554 }
        return UInt64(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: text.hasPrefix("0x") ? 16 : 10) ?? 0
    }
}

// MARK: - Random numbers

/// SplitMix64, seeded per input from (run seed, input index), so any input can be rebuilt alone.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(run: UInt64, index: Int) { state = run ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

// MARK: - Mutations

/// Byte mutations for JSON bodies, header values and small local files. Each input gets one to six of:
/// bit flips, hostile bytes, cuts, truncation, random inserts, duplicated chunks, dictionary tokens,
/// numbers swapped for hostile ones, JSON values swapped, strings swapped, splices of two seeds, and deep nesting.
struct FuzzMutator {
    /// Tokens spliced in anywhere (per input format).
    var dictionary: [String]
    /// Values that replace a whole JSON value or number.
    var values: [String] = FuzzMutator.hostileValues
    /// Strings that replace a JSON string's content.
    var strings: [String] = FuzzMutator.hostileStrings

    static let hostileNumbers = [
        "0", "-0", "-1", "1", "4096", "2147483647", "2147483648", "4294967295", "4294967296", "9007199254740993",
        "9223372036854775806", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
        "1e400", "-1e400", "1e-400", "1.5", "0.1e1", "1E2", "5764607523034234880", "00", "0x10", "+1",
    ]
    static let hostileValues = hostileNumbers + [
        "null", "true", "false", "\"\"", "[]", "{}", "[null]", "{\"\":null}", "\"1\"", "\"-1\"", "\"9223372036854775808\"",
        "\"../../etc/passwd\"", "\"/etc/passwd\"", "\"a//b\"", "\"2024-13-45T99:99:99.999Z\"", "\"2024-02-30T00:00:00Z\"",
        "\"0000-00-00T00:00:00.000Z\"", "\"9999999-01-01T00:00:00Z\"", "\"2024-01-01T00:00:00.0000000000000000001Z\"",
        "\"manual\"", "\"auto\"", "[[[[[[[[]]]]]]]]", "NaN", "Infinity", "-Infinity",
    ]
    static let hostileStrings = [
        "", "..", "../../x", "/abs", "a//b", "a/./b", "C:\\x", "\\u0000", "\\ud800", "\\udfff\\ud800", "\\u00e9", "é", "🤗",
        "\u{202E}rtl", "x\\ny", "x\\r\\n", "%00", "%2e%2e/x", String(repeating: "a", count: 300),
        String(repeating: "a/", count: 200), "0123456789abcdef0123456789abcdef01234567",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ABCDEF0123456789ABCDEF0123456789ABCDEF01",
        "model.safetensors", "x.gguf", "refs/pr/1", "main",
    ]
    static let json = ["{", "}", "[", "]", "\"", ":", ",", " ", "\n", "\\", "\\\"", "\\u", "\"\":", "null", "true", "-", ".",
                       "e", "E+", "\"siblings\":", "\"size\":", "\"lfs\":", "\"oid\":", "\"sha256\":", "\"rfilename\":",
                       "\"safetensors\":", "\"parameters\":", "\"total\":", "\"id\":", "\"modelId\":", "\"gated\":",
                       "\"lastModified\":", "\"usedStorage\":", "\"parts\":", "\"etag\":", "\"repos\":", "\"tokens\":"]
    static let header = ["<", ">", ";", ",", "\"", "=", " ", "\t", "\r\n", "rel=", "REL=", "rel=\"next\"", "rel=next",
                         "W/", "bytes ", "BYTES ", "-", "/", "*", "%", "%00", "%2F", "..", "//", "http://", "https://",
                         "file:///etc/passwd", "gopher://h/", "javascript:x", "data:,x", "https://[::1]:443/", ":99999999999",
                         "@evil.example", "#", "?", "\\", "\u{FEFF}", "é", "\u{0}", "\u{7F}", "//evil.example/x",
                         "https:///x", "http:x", "HTTPS://H/", "  ", "\"\""]

    init(dictionary: [String]) { self.dictionary = dictionary }

    /// A mutated copy of a seed (or a raw seed, or random bytes, now and then).
    func input(from seeds: [[UInt8]], _ rng: inout FuzzRandom) -> [UInt8] {
        let roll = rng.below(100)
        if roll < 3 { return rng.pick(seeds) }
        if roll < 7 { return (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        var bytes = rng.pick(seeds)
        if roll < 17, seeds.count > 1 {
            // Splice: the front of one seed, the back of another.
            let other = rng.pick(seeds)
            bytes = Array(bytes.prefix(rng.below(bytes.count + 1))) + other.suffix(rng.below(other.count + 1))
        }
        if roll >= 17, roll < 20 { nest(&bytes, &rng) }
        for _ in 0..<(1 + rng.below(rng.chance(70) ? 2 : 6)) { mutate(&bytes, &rng) }
        return bytes
    }

    /// A mutated header value.
    func text(from seeds: [String], _ rng: inout FuzzRandom) -> String {
        String(decoding: input(from: seeds.map { Array($0.utf8) }, &rng), as: UTF8.self)
    }

    func mutate(_ bytes: inout [UInt8], _ rng: inout FuzzRandom) {
        guard !bytes.isEmpty else { bytes = Array(rng.pick(dictionary).utf8); return }
        let at = rng.below(bytes.count)
        switch rng.below(12) {
        case 0: bytes[at] ^= UInt8(1) << UInt8(rng.below(8))
        case 1: bytes[at] = rng.pick([0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x2F, 0x3A, 0x3B, 0x3C, 0x3E, 0x5B, 0x5C, 0x5D,
                                      0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF])
        case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(rng.chance(80) ? 8 : 256)))
        case 3: bytes.removeSubrange(at...)
        case 4: bytes.insert(contentsOf: (0..<(1 + rng.below(8))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case 5:
            let end = min(bytes.count, at + 1 + rng.below(64))
            let chunk = Array(bytes[at..<end])
            for _ in 0..<(rng.chance(90) ? 1 : 1 + rng.below(200)) { bytes.insert(contentsOf: chunk, at: end) }
        case 6, 7: bytes.insert(contentsOf: Array(rng.pick(dictionary).utf8), at: at)
        case 8: replaceNumber(&bytes, from: at, &rng)
        case 9: replaceValue(&bytes, from: at, &rng)
        case 10: replaceString(&bytes, from: at, &rng)
        default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
        }
    }

    /// Swaps the next run of digits at or after `start` for a hostile number.
    private func replaceNumber(_ bytes: inout [UInt8], from start: Int, _ rng: inout FuzzRandom) {
        guard let first = bytes[start...].firstIndex(where: { (48...57).contains($0) }) else { return }
        var end = first
        while end < bytes.count, (48...57).contains(bytes[end]) || bytes[end] == 0x2E || bytes[end] == 0x2D { end += 1 }
        bytes.replaceSubrange(first..<end, with: Array(rng.pick(FuzzMutator.hostileNumbers).utf8))
    }

    /// Swaps the JSON value after the next `:` for a hostile value (a rough scan: stops at `,`, `}` or `]`).
    private func replaceValue(_ bytes: inout [UInt8], from start: Int, _ rng: inout FuzzRandom) {
        guard let colon = bytes[start...].firstIndex(of: 0x3A) else { return }
        var end = colon + 1
        var quoted = false
        while end < bytes.count {
            let b = bytes[end]
            if b == 0x22 { quoted.toggle() } else if b == 0x5C { end += 1 } else if !quoted, b == 0x2C || b == 0x7D || b == 0x5D { break }
            end += 1
        }
        bytes.replaceSubrange((colon + 1)..<min(end, bytes.count), with: Array(rng.pick(values).utf8))
    }

    /// Swaps the content of the next JSON string for a hostile one.
    private func replaceString(_ bytes: inout [UInt8], from start: Int, _ rng: inout FuzzRandom) {
        guard let open = bytes[start...].firstIndex(of: 0x22), open + 1 < bytes.count,
              let close = bytes[(open + 1)...].firstIndex(of: 0x22) else { return }
        bytes.replaceSubrange((open + 1)..<close, with: Array(rng.pick(strings).utf8))
    }

    /// Deep nesting: thousands of `[` or `{"a":` (a recursive parser without a depth limit overflows its stack).
    private func nest(_ bytes: inout [UInt8], _ rng: inout FuzzRandom) {
        let depth = rng.pick([64, 513, 1_000, 10_000, 100_000])
        let unit: [UInt8] = rng.chance(50) ? [0x5B] : Array("{\"a\":".utf8)
        var deep: [UInt8] = []
        deep.reserveCapacity(depth * unit.count)
        for _ in 0..<depth { deep.append(contentsOf: unit) }
        bytes.insert(contentsOf: deep, at: bytes.isEmpty ? 0 : rng.below(bytes.count))
    }
}

// MARK: - Seeds

/// Recorded Hub responses in `Fixtures/wire-seeds` (copied from `shared/hub-samples/raw`, see its
/// SOURCES.md), plus the few seeds no recording holds (Content-Range, sidecars, token files), built here.
enum WireSeeds {
    static let folder: URL? = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/wire-seeds")

    static func files(_ prefix: String, _ suffix: String) -> [URL] {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted().map { folder.appendingPathComponent($0) }
    }

    static func bytes(_ urls: [URL]) -> [[UInt8]] { urls.compactMap { try? Data(contentsOf: $0) }.map { [UInt8]($0) } }

    /// Model info bodies, and one with `blobs=true`-style siblings (sizes and LFS facts), which no recording has:
    /// built from the recorded bert tree so that size sums are reached.
    static let modelInfos: [[UInt8]] = bytes(files("model-info__", ".json")) + [Array(modelInfoWithBlobs.utf8)]

    static let modelInfoWithBlobs = """
    {"_id":"621ffdc036468d709f174338","id":"google-bert/bert-base-uncased","author":"google-bert",\
    "sha":"dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7","lastModified":"2024-02-19T11:06:12.000Z","private":false,\
    "gated":false,"disabled":false,"downloads":123,"likes":45,"library_name":"transformers","tags":["pytorch","mlx"],\
    "pipeline_tag":"fill-mask","createdAt":"2022-03-02T23:29:04.000Z","usedStorage":13397387509,\
    "safetensors":{"parameters":{"F32":110106428},"total":110106428},"gguf":{"total":110106428,"architecture":"bert","context_length":512},\
    "siblings":[{"rfilename":".gitattributes","size":345,"blobId":"dc08351d4dc0732d9c8af04070ced089b201ce2f"},\
    {"rfilename":"config.json","size":570,"blobId":"fca794a5f07ff8f963fe8b61e3694b0fb7f955df"},\
    {"rfilename":"model.safetensors","size":440449768,"blobId":"a7a17d6d844b5de815ccab5f42cad6d24496db3850a2a43d8258221018ce87d2",\
    "lfs":{"sha256":"68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3","size":440449768,"pointerSize":135}},\
    {"rfilename":"bert-Q4_K_M.gguf","size":70000000,"lfs":{"sha256":"097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a","size":70000000}}]}
    """

    /// Listing pages: the recorded ones, and arrays of recorded model infos.
    static let listings: [[UInt8]] = {
        let small = bytes(files("model-info__", ".json")).filter { $0.count < 6_000 }
        var pages = bytes(files("list__", ".json"))
        for i in stride(from: 0, to: small.count - 1, by: 2) { pages.append([0x5B] + small[i] + [0x2C] + small[i + 1] + [0x5D]) }
        pages.append(Array(("[" + modelInfoWithBlobs + "]").utf8))
        return pages
    }()

    /// Tree and paths-info answers: the recorded trees, the recorded entry as a one-item answer, and a paths-info
    /// answer shaped like the Hub's (a file with `xetHash`/`securityFileStatus` and a folder).
    static let trees: [[UInt8]] = {
        var answers = bytes(files("tree__", ".json"))
        for entry in bytes(files("tree-entry__", ".json")) {
            answers.append([0x5B] + entry + [0x5D])
            answers.append([0x5B] + entry + Array(#",{"type":"directory","oid":"0f3a1b3e7c4d5e6f708192a3b4c5d6e7f8091a2b","size":0,"path":"onnx","securityFileStatus":{"status":"safe"}}]"#.utf8))
        }
        return answers
    }()

    /// Every `name: value` header line of the recorded `.txt` files (names lower-cased).
    static let headerLines: [(name: String, value: String)] = {
        var lines: [(String, String)] = []
        for url in files("", ".txt") {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon]
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { continue }
                lines.append((name.lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return lines
    }()

    static func headers(_ names: Set<String>) -> [String] { headerLines.filter { names.contains($0.name) }.map(\.value) }

    /// `sha` values of the recorded model infos and `oid`s of the trees.
    static let jsonHexValues: [String] = {
        var values: [String] = []
        for body in modelInfos + trees {
            let text = String(decoding: body, as: UTF8.self)
            for key in ["\"sha\":\"", "\"oid\":\""] {
                var rest = text[...]
                while let range = rest.range(of: key) {
                    let tail = rest[range.upperBound...]
                    if let end = tail.firstIndex(of: "\"") { values.append(String(tail[..<end])) }
                    rest = tail
                }
            }
        }
        return Array(Set(values)).sorted()
    }()

    static let linkHeaders: [String] = {
        let recorded = headers(["link"])
        return recorded + [
            recorded.joined(separator: ", "),
            "<https://huggingface.co/api/models?cursor=abc&limit=2>; rel=\"prev next\"",
            "<https://huggingface.co/api/models?p=1>; REL=next; type=\"application/json\"",
            "</api/models?cursor=relative>; rel=next",
            "<https://huggingface.co/api/models?a=1>; rel=\"first\", <https://huggingface.co/api/models?a=2>; rel=\"next\"",
        ]
    }()

    /// No recording holds a `Content-Range` (the samples are HEADs and full GETs): built from recorded sizes.
    static let contentRanges = [
        "bytes 0-1023/4096", "bytes 1024-4095/4096", "bytes 0-0/1", "bytes 100-199/*", "bytes 0-440473132/440473133",
        "bytes 6230010-6230010/6230011", "bytes 1048576-22972369/22972370", "bytes 0-1282439583/1282439584",
        "bytes 9223372036854775806-9223372036854775806/9223372036854775807", "BYTES 5-9/10", " bytes 5-9/10 ", "bytes */4096",
    ]

    static let etags: [String] = headers(["etag", "x-linked-etag"])
        + jsonHexValues.flatMap { ["\"\($0)\"", "W/\"\($0)\"", $0] }
        + ["W/\"12fc-2GPIq/wDp7eJaYOQ3S2lVIZw9Fc\"", "\"\"", "W/", " \"dc08351d4dc0732d9c8af04070ced089b201ce2f\"\t"]

    static let commits: [String] = headers(["x-repo-commit"]) + jsonHexValues.filter { $0.utf8.count == 40 }
        + ["  504939aa53e8ce310dba3dd2296dbe266c575de4 ", "504939AA53E8CE310DBA3DD2296DBE266C575DE4"]

    static let sizes: [String] = headers(["content-length", "x-linked-size"]) + ["0", " 42\t", "440473133", "9223372036854775807",
                                                                                  "9223372036854775808", "0000000000000000001", "-1"]

    static let locations: [String] = headers(["location"]) + [
        "https://cdn-lfs.hf.co/repos/ab/cd/0123?response-content-disposition=attachment%3B+filename*%3DUTF-8%27%27x.bin",
        "//cdn-lfs.hf.co/x", "../../resolve/main/config.json", "?cursor=abc", "#frag", "http://huggingface.co/api/models/x",
    ]

    static let redirectBases = [
        "https://huggingface.co/api/models/t5-small", "https://huggingface.co/bartowski/Qwen_Qwen3-1.7B-GGUF/resolve/main/x.gguf",
        "http://127.0.0.1:8080/api/models/acme/model", "https://hf-mirror.example:8443/api/models?cursor=abc",
    ]

    /// The example of `ServerSidecar`'s documentation, and one carrying a recorded model info in `overrides`.
    static let serverSidecars: [[UInt8]] = {
        let example = """
        {"repos":{"meta-llama/Llama-3.1-8B-Instruct":{"downloads":5795728,"likes":3763,"trendingScore":40,"gated":"manual",\
        "private":false,"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2024-07-18T08:56:00.000Z",\
        "lastModified":"2024-09-25T17:00:57.000Z","safetensors":{"parameters":{"BF16":8030261248},"total":8030261248},\
        "usedStorage":32123357950,"tags":["region:us"],"gitTags":["v1.0"],"_id":"6698d8a0653e4babe21e1e7d",\
        "overrides":{"inference":"warm"}}},\
        "aliases":{"meta-llama/Meta-Llama-3.1-8B-Instruct":"meta-llama/Llama-3.1-8B-Instruct"},\
        "tokens":{"hf_alice":{"user":"alice","orgs":["acme"],"role":"read","gatedRepos":["meta-llama/Llama-3.1-8B-Instruct"],\
        "privateRepos":["acme/secret"]}}}
        """
        var seeds = [Array(example.utf8), Array("{}".utf8), Array(#"{"tokens":{"hf_bob":{"user":"bob"}}}"#.utf8)]
        if let gpt2 = bytes(files("model-info__openai-community__gpt2", ".json")).first {
            seeds.append(Array(#"{"repos":{"openai-community/gpt2":{"overrides":"#.utf8) + gpt2 + Array("}}}".utf8))
        }
        return seeds
    }()

    /// Token files as people leave them: a trailing newline, CRLF, spaces, a BOM, a second line.
    static let tokenFiles = [
        "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "  hf_spaces  \r\n",
        "\u{FEFF}hf_withbom\n", "hf_first\nhf_second\n", "\n\n", "", "hf_tab\tinside\n", "api_org_0123456789abcdef\n",
    ]
}

// MARK: - Harness

/// What one decoder's run found.
struct FuzzReport: CustomStringConvertible {
    let decoder: String
    var inputs = 0
    var decoded = 0
    var rejected = 0
    /// Inputs not fed to the decoder because they hit `FuzzKnownTrap` (a toolchain bug that kills the process).
    var knownTrap = 0
    var slowest = 0.0
    var seconds = 0.0
    /// Inputs that took longer than `FuzzBudget.hangSeconds` (escaped, shortened).
    var hangs: [String] = []
    /// Broken promises about a decoded value (first few, with the input).
    var violations: [String] = []
    var violationCount = 0

    /// One line per decoder; `scripts/fuzz.sh` collects the lines starting with `wire-fuzz |`.
    var description: String {
        "wire-fuzz | \(decoder) | inputs \(inputs) | decoded \(decoded) | rejected \(rejected) | known-trap \(knownTrap) | crashes 0"
            + " | hangs \(hangs.count)"
            + " | violations \(violationCount) | slowest \(String(format: "%.1f", slowest * 1000)) ms | \(String(format: "%.1f", seconds)) s"
    }
}

enum FuzzOutcome { case decoded, rejected, knownTrap }

/// A crash of the toolchain's `JSONDecoder` (swift-foundation in Swift 6.3.1 on Linux), found by this fuzzer:
/// when the last byte of the input is a `[` that opens nesting level 513, `JSONScanner.scanArray()` throws
/// `tooManyNestedArraysOrDictionaries(location: reader.sourceLocation(atOffset: 1))`, one byte past the end,
/// and `JSONError.SourceLocation.sourceLocation(at:fullSource:)` traps (newer swift-foundation uses offset -1).
/// Smallest input: 513 bytes of `[`; `{"a":` × 512 + `[` too. Any `JSONDecoder().decode` of untrusted bytes
/// without a nesting pre-check (`JSONNesting`) dies on it. The JSON fuzz tests set such inputs aside and count
/// them (so the long run reports every decoder); `WireFuzzTests.knownTrap` reproduces it per entry point.
enum FuzzKnownTrap {
    /// The reproducer: 513 `[`.
    static let input = [UInt8](repeating: 0x5B, count: 513)

    /// True when `bytes` ends in a `[` at nesting depth 513 or more (strings skipped).
    static func matches(_ bytes: [UInt8]) -> Bool {
        guard bytes.last == 0x5B, bytes.count >= 513 else { return false }
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B: depth += 1
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
        }
        return depth >= 513
    }
}

/// Checks made on a decoded value; a failure is recorded with the input, not trapped.
struct FuzzProbe {
    fileprivate(set) var failures: [String] = []
    mutating func require(_ condition: Bool, _ what: @autoclosure () -> String) {
        if !condition { failures.append(what()) }
    }
}

enum FuzzHarness {
    /// Runs `count` inputs through `call`, timing each. `make` builds input `index` from its own generator;
    /// `bytes` gives what to print for it. A thrown error counts as a rejection.
    static func run<Input>(_ decoder: String, salt: UInt64, count: Int,
                           make: (inout FuzzRandom, Int) -> Input, bytes: (Input) -> [UInt8],
                           call: (Input, inout FuzzProbe) throws -> FuzzOutcome) -> FuzzReport {
        let seed = FuzzBudget.seed ^ salt
        var report = FuzzReport(decoder: decoder)
        let guardian = FuzzGuard(decoder: decoder, seed: seed)
        defer { guardian.stop() }
        let started = ContinuousClock.now
        for index in 0..<count {
            var rng = FuzzRandom(run: seed, index: index)
            let input = make(&rng, index)
            let raw = bytes(input)
            guardian.begin(index: index, input: raw)
            var probe = FuzzProbe()
            let before = threadCPUSeconds()
            let outcome = (try? call(input, &probe)) ?? .rejected
            let seconds = threadCPUSeconds() - before
            guardian.end()
            report.inputs += 1
            switch outcome {
            case .decoded: report.decoded += 1
            case .rejected: report.rejected += 1
            case .knownTrap: report.knownTrap += 1
            }
            report.slowest = max(report.slowest, seconds)
            if seconds > FuzzBudget.hangSeconds {
                report.hangs.append("input #\(index) (seed 0x\(String(seed, radix: 16))) took \(seconds) s: \(FuzzText.escaped(raw, limit: 8_000))")
            }
            if !probe.failures.isEmpty {
                report.violationCount += 1
                if report.violations.count < 5 {
                    report.violations.append("input #\(index): \(probe.failures.joined(separator: "; ")): \(FuzzText.escaped(raw))")
                }
            }
        }
        let total = ContinuousClock.now - started
        report.seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        print(report)
        return report
    }
}

enum FuzzText {
    /// Printable, bounded rendering of an input for messages.
    static func escaped(_ bytes: [UInt8], limit: Int = 400) -> String {
        var out = ""
        for b in bytes.prefix(limit) {
            switch b {
            case 0x20...0x7E where b != 0x5C: out.append(Character(Unicode.Scalar(b)))
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            default: out += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
        }
        return "\"" + out + "\"" + (bytes.count > limit ? "… (\(bytes.count) bytes)" : "")
    }
}

// MARK: - Crash and hang reporting

/// The input in flight, kept where a signal handler can print it without allocating: if a decoder traps,
/// the process dies, and the last thing on standard error says which decoder, seed, index and bytes did it.
/// The handler then puts the previous handler back (Swift's backtracer) and returns, so the fault repeats
/// and is reported as usual. A watchdog thread aborts, naming the input, when one runs past `abortSeconds`.
final class FuzzGuard: @unchecked Sendable {
    static let capacity = 1 << 16
    nonisolated(unsafe) static let note = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
    nonisolated(unsafe) static var noteLength = 0
    nonisolated(unsafe) static let input = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) static var inputLength = 0
    nonisolated(unsafe) static var inputTotal = 0
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 64)
    /// The thread running the decoder: a signal on another thread (another suite's test) is not ours to explain.
    nonisolated(unsafe) static var fuzzThread: pthread_t?
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    private let lock = NSLock()
    private var startedAt: ContinuousClock.Instant?
    private var running = true
    private let prefix: String
    private var altStack: stack_t
    private var previousAltStack = stack_t()

    init(decoder: String, seed: UInt64) {
        prefix = "\nwire fuzz: fatal signal while decoding \(decoder), seed 0x\(String(seed, radix: 16)), input #"
        Self.fuzzThread = pthread_self()
        // An alternate stack, so the handler still runs when a decoder overflows the thread's stack.
        altStack = stack_t()
        altStack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 16)
        altStack.ss_size = 1 << 16
        sigaltstack(&altStack, &previousAltStack)
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = fuzzSignalHandler
        #else
        action.__sigaction_u.__sa_handler = fuzzSignalHandler
        #endif
        action.sa_flags = SA_ONSTACK
        sigemptyset(&action.sa_mask)
        for signal in Self.signals { sigaction(signal, &action, Self.previous + Int(signal)) }
        let watchdog = Thread { [self] in watch() }
        watchdog.start()
    }

    func begin(index: Int, input bytes: [UInt8]) {
        let head = Array((prefix + "\(index) (\(bytes.count) bytes, shown in hex):\n").utf8.prefix(512))
        head.withUnsafeBufferPointer { Self.note.update(from: $0.baseAddress!, count: $0.count) }
        Self.noteLength = head.count
        let kept = min(bytes.count, Self.capacity)
        bytes.withUnsafeBufferPointer { if kept > 0 { Self.input.update(from: $0.baseAddress!, count: kept) } }
        Self.inputLength = kept
        Self.inputTotal = bytes.count
        lock.withLock { startedAt = .now }
    }

    func end() { lock.withLock { startedAt = nil } }

    func stop() {
        lock.withLock { running = false }
        Self.fuzzThread = nil
        for signal in Self.signals { sigaction(signal, Self.previous + Int(signal), nil) }
        var restored = previousAltStack
        sigaltstack(&restored, nil)
        // The alternate stack is left allocated: a signal could still be running on it on another path.
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            let (live, since) = lock.withLock { (running, startedAt) }
            guard live else { return }
            if let since, ContinuousClock.now - since > .seconds(FuzzBudget.abortSeconds) {
                let line = Array("\nwire fuzz: HANG, one input ran longer than \(Int(FuzzBudget.abortSeconds)) s; aborting".utf8)
                line.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
                Self.writeNote()
                // The first raise puts the previous handler back; abort() then reaches Swift's backtracer,
                // which shows where the stuck thread is.
                raise(SIGABRT)
                abort()
            }
        }
    }

    /// Writes the note and the input as hex (called from the signal handler: no allocation, no locks).
    static func writeNote() {
        _ = write(2, note, noteLength)
        let digits: StaticString = "0123456789abcdef"
        var line = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                    UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))  // 128 bytes
        withUnsafeMutableBytes(of: &line) { buffer in
            var used = 0
            for i in 0..<inputLength {
                buffer[used] = digits.utf8Start[Int(input[i] >> 4)]
                buffer[used + 1] = digits.utf8Start[Int(input[i] & 15)]
                used += 2
                if used == 128 || i == inputLength - 1 {
                    _ = write(2, buffer.baseAddress, used)
                    used = 0
                }
            }
        }
        let tail: StaticString = "\n(end of input)\n"
        _ = write(2, tail.utf8Start, tail.utf8CodeUnitCount)
    }
}

private func fuzzSignalHandler(_ signal: Int32) {
    if let thread = FuzzGuard.fuzzThread, pthread_equal(pthread_self(), thread) != 0 { FuzzGuard.writeNote() }
    sigaction(signal, FuzzGuard.previous + Int(signal), nil)
}

// MARK: - Cache trees

/// Builds small Hugging Face cache trees with the shapes a scanner meets in the wild and in attacks: odd
/// folder names (non-UTF-8 included), refs with mutated content, dangling, looping and escaping links, links
/// to devices and folders, FIFOs, hard links, deep nesting, and sparse files of up to 5 EiB apparent size.
/// Returns a manifest of what it made (the "input" shown for a failure).
struct FuzzCacheTree {
    let root: String
    private(set) var manifest: [String] = []

    /// The largest sparse size the file system takes (5 EiB on tmpfs; 16 TiB on ext4), found once.
    nonisolated(unsafe) static var largestSparse: Int64?

    static let refMutator = FuzzMutator(dictionary: ["\n", "\r\n", " ", "\0", "\u{FEFF}", "refs/", "0", "f", "G", "é"])
    static let commits = ["dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7", "504939aa53e8ce310dba3dd2296dbe266c575de4",
                          "751bff37182d3f1213fa05d7196b954e230abad9"]
    static let blobNames = ["097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a",
                            "dc08351d4dc0732d9c8af04070ced089b201ce2f", "fca794a5f07ff8f963fe8b61e3694b0fb7f955df"]

    init(root: String) { self.root = root }

    mutating func build(_ rng: inout FuzzRandom) {
        mkdir(root)
        var used = Set<String>()
        for r in 0..<(1 + rng.below(3)) {
            var folder = repoFolderName(r, &rng)
            if !used.insert(folder).inserted { folder += "\(r)" }
            let repo = root + "/" + folder
            switch rng.below(20) {
            case 0: file(repo, size: 10); continue
            case 1: link(repo, to: "."); continue
            case 2: link(repo, to: folder); continue
            default: mkdir(repo)
            }
            let blobs = buildBlobs(repo, &rng)
            buildSnapshots(repo, blobs: blobs, &rng)
            buildRefs(repo, &rng)
        }
    }

    private mutating func repoFolderName(_ index: Int, _ rng: inout FuzzRandom) -> String {
        if rng.chance(70) { return "models--org\(index)--model" }
        return rng.pick(["models--", "models----", "models--a--b--c", "models--" + String(repeating: "x", count: 240),
                         "models--ünï--cödé", "models--org--name\n", "models--.--..", "models--org--na me", "datasets--a--b",
                         "models--org--\u{202E}lmth"])
    }

    private mutating func buildBlobs(_ repo: String, _ rng: inout FuzzRandom) -> [String] {
        let folder = repo + "/blobs"
        if rng.chance(5) { file(folder, size: 1); return [] }
        mkdir(folder)
        var names: [String] = []
        for i in 0..<rng.below(7) {
            var name = i < Self.blobNames.count ? Self.blobNames[i] : rng.pick(Self.blobNames) + "\(i)"
            switch rng.below(14) {
            case 0: name = "not-hex-\(i)"
            case 1: name += ".incomplete"
            case 2: name += ".incomplete.json"
            case 3: name = ".tmp\(i)"
            case 4: mkdir(folder + "/" + name); continue
            case 5: fifo(folder + "/" + name); continue
            case 6: link(folder + "/" + name, to: rng.pick(["/dev/zero", "../blobs", name, "missing"])); continue
            case 7: rawFile(folder, name: [0x62, 0xFF, 0xFE, 0x2D, UInt8(48 + i)]); continue
            case 8: if let first = names.first { hardLink(folder + "/" + first, folder + "/" + name); names.append(name); continue }
            default: break
            }
            file(folder + "/" + name, size: rng.chance(25) ? sparseSize(&rng) : Int64(rng.below(4096)))
            names.append(name)
        }
        return names
    }

    private mutating func buildSnapshots(_ repo: String, blobs: [String], _ rng: inout FuzzRandom) {
        let folder = repo + "/snapshots"
        if rng.chance(5) { link(folder, to: "snapshots"); return }
        mkdir(folder)
        for s in 0..<rng.below(4) {
            var commit = Self.commits[s % Self.commits.count]
            switch rng.below(12) {
            case 0: commit = "NOT-A-COMMIT-\(s)"
            case 1: file(folder + "/" + commit, size: 40); continue
            case 2: link(folder + "/" + commit, to: rng.pick([".", "..", "/", commit, "../blobs"])); continue
            default: break
            }
            let snapshot = folder + "/" + commit
            mkdir(snapshot)
            for e in 0..<rng.below(8) {
                let name = rng.chance(90) ? "file\(e).safetensors" : "ünï\(e)"
                let path = snapshot + "/" + name
                switch rng.below(14) {
                case 0, 1, 2, 3: link(path, to: "../../blobs/" + (blobs.isEmpty ? "missing" : rng.pick(blobs)))
                case 4: link(path, to: "../../blobs/dangling\(e)")
                case 5: link(path, to: name)
                case 6: link(path, to: "loop-b\(e)"); link(snapshot + "/loop-b\(e)", to: name)
                case 7: link(path, to: rng.pick(["/", "/dev/zero", "/dev/null", "/proc/self/mem", "..", "../../blobs"]))
                case 8: link(path, to: "../../blobs/../blobs/" + (blobs.first ?? "x"))
                case 9:
                    var deep = snapshot
                    for d in 0..<(1 + rng.below(12)) { deep += "/d\(d)"; mkdir(deep) }
                    link(deep + "/" + name, to: String(repeating: "../", count: deep.split(separator: "/").count - snapshot.split(separator: "/").count + 2) + "blobs/" + (blobs.first ?? "x"))
                    if rng.chance(30) { link(deep + "/up", to: snapshot) }
                case 10: fifo(path)
                case 11: file(path, size: sparseSize(&rng))
                case 12: if let first = blobs.first { hardLink(repo + "/blobs/" + first, path) }
                default: file(path, size: Int64(rng.below(2048)))
                }
            }
        }
    }

    private mutating func buildRefs(_ repo: String, _ rng: inout FuzzRandom) {
        let folder = repo + "/refs"
        if rng.chance(5) { file(folder, size: 40); return }
        mkdir(folder)
        let seeds = Self.commits.map { Array(($0 + "\n").utf8) } + [Array("main".utf8), []]
        for (i, name) in ["main", "v1.0", "refs/pr/1"].enumerated() where rng.chance(i == 0 ? 90 : 40) {
            if name.contains("/") { mkdir(folder + "/refs"); mkdir(folder + "/refs/pr") }
            let path = folder + "/" + name
            switch rng.below(12) {
            case 0: link(path, to: rng.pick([".", "/dev/zero", name, "../snapshots"]))
            case 1: fifo(path)
            case 2: file(path, size: rng.chance(50) ? 5_000 : sparseSize(&rng))
            default: content(path, Self.refMutator.input(from: seeds, &rng))
            }
        }
        if rng.chance(10) { link(folder + "/loop", to: ".") }
    }

    /// New files only: never through a link the tree holds (`/proc/self/mem`…), never blocking on a FIFO.
    private static let createOnly = O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC

    private static let sparseCandidates: [Int64] = [5 << 60, 1 << 60, 1 << 50, (16 << 40) - 4096, 1 << 40, 1 << 32]

    private func sparseSize(_ rng: inout FuzzRandom) -> Int64 {
        if let largest = Self.largestSparse { return rng.chance(50) ? largest : Int64.max / 2 + 1 }
        let probe = root + "/.sparse-probe"
        let fd = open(probe, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        defer { if fd >= 0 { close(fd) }; unlink(probe) }
        Self.largestSparse = Self.sparseCandidates.first { fd >= 0 && ftruncate(fd, off_t($0)) == 0 } ?? 1 << 20
        return Self.largestSparse ?? 1 << 20
    }

    // File-system steps (each is noted in the manifest; failures are part of the game, e.g. EFBIG).

    private mutating func mkdir(_ path: String) {
        let ok = posixMakeFolder(path)
        manifest.append("mkdir \(path.dropFirst(root.count))\(ok ? "" : " (failed)")")
    }

    private mutating func file(_ path: String, size: Int64) {
        let fd = open(path, Self.createOnly, 0o644)
        guard fd >= 0 else { manifest.append("file \(path.dropFirst(root.count)) (failed)"); return }
        var actual = size
        if ftruncate(fd, off_t(size)) != 0 {
            actual = Self.largestSparse ?? 0
            _ = ftruncate(fd, off_t(actual))
        }
        close(fd)
        manifest.append("file \(path.dropFirst(root.count)) size \(actual)")
    }

    private mutating func content(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, Self.createOnly, 0o644)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        manifest.append("file \(path.dropFirst(root.count)) content \(FuzzText.escaped(bytes, limit: 80))")
    }

    private mutating func rawFile(_ folder: String, name: [UInt8]) {
        let path = Array(folder.utf8) + [0x2F] + name + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, Self.createOnly, 0o644) } }
        if fd >= 0 { close(fd) }
        manifest.append("file \(folder.dropFirst(root.count))/\(FuzzText.escaped(name)) (non-UTF-8 name)")
    }

    private mutating func link(_ path: String, to target: String) {
        symlink(target, path)
        manifest.append("link \(path.dropFirst(root.count)) -> \(target)")
    }

    private mutating func hardLink(_ existing: String, _ path: String) {
        posixHardLink(existing, path)
        manifest.append("hardlink \(path.dropFirst(root.count)) = \(existing.dropFirst(root.count))")
    }

    private mutating func fifo(_ path: String) {
        mkfifo(path, 0o644)
        manifest.append("fifo \(path.dropFirst(root.count))")
    }

    /// Removes the tree (links are removed, never followed), non-UTF-8 names included.
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if UInt32(info.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR), let dir = opendir(path) {
            var names: [[UInt8]] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
            }
            closedir(dir)
            for name in names { remove(path + "/" + String(decoding: name, as: UTF8.self), raw: Array(path.utf8) + [0x2F] + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    private static func remove(_ shown: String, raw: [UInt8]) {
        if String(bytes: raw, encoding: .utf8) != nil { remove(shown); return }
        // A non-UTF-8 name: always a plain file here.
        _ = (raw + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { unlink($0.baseAddress!) } }
    }
}

// Outside `FuzzCacheTree`, whose `mkdir`/`link` steps would shadow the C functions.
@discardableResult private func posixMakeFolder(_ path: String) -> Bool { mkdir(path, 0o755) == 0 }
@discardableResult private func posixHardLink(_ existing: String, _ path: String) -> Bool { link(existing, path) == 0 }

/// CPU seconds the calling thread has used.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
