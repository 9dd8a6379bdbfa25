import Foundation
import Testing
@testable import HubScoutCore

/// SplitMix64: a small seeded PRNG so every fuzz run sees the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Byte-level mutations biased towards the values that break parsers (lengths, counts, offsets).
enum Mutator {
    static let interesting: [UInt64] = [0, 1, 7, 8, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 32, 1 << 62,
                                        1 << 63, UInt64(Int64.max), UInt64.max, 100 * 1024 * 1024, 64 * 1024 * 1024 + 1]

    static func mutate(_ input: Data, _ rng: inout SeededGenerator) -> Data {
        var bytes = [UInt8](input)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { bytes = [UInt8.random(in: 0...255, using: &rng)]; continue }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 2:
                // Overwrite 8 (or 4) bytes with an interesting little-endian integer.
                let value = interesting.randomElement(using: &rng) ?? 0
                let width = Bool.random(using: &rng) ? 8 : 4
                for i in 0..<width where at + i < bytes.count { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng)))
            case 4: bytes = Array(bytes.prefix(at))
            case 5: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            default:
                let end = min(bytes.count, at + Int.random(in: 1...32, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            }
        }
        return Data(bytes)
    }

    /// Text mutations: structural characters and hostile numbers spliced into JSON/YAML.
    static func mutateText(_ input: String, _ rng: inout SeededGenerator) -> String {
        var chars = Array(input.unicodeScalars)
        let tokens = ["[", "]", "{", "}", "\"", ":", ",", "-", "\n", "  ", "---", "no", "~", "&a", "*a", "!!binary", "1e400",
                      "-9223372036854775809", "18446744073709551616", "null", "true", "9999999999999999999999", "0.5", "\\u0000"]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !chars.isEmpty else { break }
            let at = Int.random(in: 0..<chars.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: chars.insert(contentsOf: (tokens.randomElement(using: &rng) ?? "").unicodeScalars, at: at)
            case 1: chars.removeSubrange(at..<min(chars.count, at + Int.random(in: 1...20, using: &rng)))
            case 2: chars = Array(chars.prefix(at))
            default: chars[at] = Unicode.Scalar(UInt8.random(in: 32...126, using: &rng))
            }
        }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: chars)
        return String(s)
    }
}

/// Inputs per parser in each fuzz test.
let fuzzIterations = 20_000

@Suite("Fuzzing: random and mutated inputs never crash the parsers", .serialized)
struct FuzzTests {
    @Test("safetensors: 20,000 mutated headers parse or fail with HeaderError")
    func safetensors() throws {
        var rng = SeededGenerator(seed: 0x5AFE)
        let base = SafetensorsTestFile.bytes(Array(SafetensorsTestFile.llamaLike.prefix(6)))
        var parsed = 0, rejected = 0
        for i in 0..<fuzzIterations {
            let input = i % 10 == 0 ? Data((0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
                                    : Mutator.mutate(base, &rng)
            do {
                let h = try SafetensorsHeader.parse(input, fileSize: i % 3 == 0 ? nil : Int64(input.count))
                #expect(h.tensorBytes >= 0 && h.parameterCount >= 0)
                parsed += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        #expect(parsed + rejected == fuzzIterations && parsed > 0 && rejected > 0)
    }

    @Test("GGUF: 20,000 mutated headers parse or fail with HeaderError")
    func gguf() throws {
        var rng = SeededGenerator(seed: 0x6606)
        let base = GGUFTestFile.bytes(metadata: GGUFTestFile.llamaMetadata(tokens: 40), tensors: Array(GGUFTestFile.llamaTensors.prefix(5)))
        var parsed = 0, rejected = 0
        for i in 0..<fuzzIterations {
            var input = Mutator.mutate(base, &rng)
            if i % 10 == 0 {
                input = Data("GGUF".utf8) + Data((0..<Int.random(in: 0...96, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
            do {
                let h = try GGUFHeader.parse(input, fileSize: i % 3 == 0 ? nil : Int64(input.count))
                #expect(h.tensorDataOffset <= Int64(input.count) + h.alignment)
                parsed += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        #expect(parsed + rejected == fuzzIterations && parsed > 0 && rejected > 0)
    }

    @Test("config.json: 20,000 mutated configs parse or fail with ConfigError; counting never traps")
    func configs() throws {
        var rng = SeededGenerator(seed: 0xC0F1)
        let bases = try ["deepseek-v3", "gemma-3-4b", "qwen2-vl-7b", "t5-small", "gpt2", "bart-base", "bert-base-uncased"].map {
            String(decoding: try ConfigFixtures.data($0), as: UTF8.self)
        }
        var parsed = 0, counted = 0
        for i in 0..<fuzzIterations {
            let text = Mutator.mutateText(bases[i % bases.count], &rng)
            guard let config = try? ModelConfig(jsonData: Data(text.utf8)) else { continue }
            parsed += 1
            if let estimate = try? ParameterCounter.estimate(config) {
                #expect(estimate.breakdown.total >= 0 || estimate.breakdown.total < 0)   // reached: no trap
                counted += 1
            }
        }
        #expect(parsed > 0 && counted > 0)
    }

    @Test("Model cards: 20,000 mutated cards always yield a card")
    func cards() throws {
        var rng = SeededGenerator(seed: 0xCA2D)
        let bases = try ["norwegian-merge", "broken-yaml", "badge-heavy", "zephyr-7b-beta"].map { name -> String in
            let url = try #require(Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Fixtures/cards"))
            return String(decoding: try Data(contentsOf: url).prefix(4000), as: UTF8.self)
        }
        var withMetadata = 0, withWarnings = 0
        for i in 0..<fuzzIterations {
            let card = ModelCard(markdown: Mutator.mutateText(bases[i % bases.count], &rng), summaryLimit: 120)
            if card.metadata != CardMetadata() { withMetadata += 1 }
            if !card.warnings.isEmpty { withWarnings += 1 }
            #expect((card.summary?.count ?? 0) <= 120)
        }
        #expect(withMetadata > 0 && withWarnings > 0)
    }
}
