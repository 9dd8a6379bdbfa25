import Foundation
import HubScoutCore
import Testing

/// `--help` as a new user reads it at 80 columns: paragraphs wrapped by the parser (not by hand), examples on one
/// line each, no internal citations, and no network options on commands that never reach the Hub.
@Suite("CLI help text")
struct CLIHelpTests {
    static let commands: [[String]] = [
        ["search"], ["models", "ls"], ["info"], ["fit"], ["hardware"], ["download"], ["ls"],
        ["cache", "ls"], ["cache", "verify"], ["cache", "rm"], ["cache", "prune"], ["cache", "gc"],
        ["catalog", "sync"], ["catalog", "scan"], ["catalog", "stats"], ["catalog", "search"],
        ["login"], ["logout"], ["whoami"], ["auth", "list"], ["auth", "switch"], ["serve"],
        ["bundle", "create"], ["bundle", "ls"], ["bundle", "verify"], ["bundle", "import"], ["dedupe"], ["link"],
    ]

    /// Commands that work only on local files: a token or an endpoint would be ignored, so they must not offer one.
    static let localOnly: [[String]] = [
        ["ls"], ["cache", "ls"], ["cache", "verify"], ["cache", "rm"], ["cache", "prune"], ["cache", "gc"],
        ["catalog", "scan"], ["catalog", "stats"], ["catalog", "search"], ["bundle", "ls"], ["bundle", "verify"],
        ["bundle", "import"], ["hardware"], ["dedupe"], ["link"],
    ]

    /// The lines between OVERVIEW and USAGE: abstract, discussion and examples.
    static func prose(_ help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        guard let end = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }) else { return lines }
        return Array(lines[..<end])
    }

    @Test("paragraphs are wrapped by the parser and examples fit on one 80-column line", arguments: commands)
    func wrapped(_ command: [String]) async throws {
        let run = try await CLIRunner.run(command + ["--help"], environment: ["COLUMNS": "80"])
        #expect(run.status == 0, "\(command): \(run.stderr)")
        let lines = Self.prose(run.stdout)
        #expect(lines.count > 1, "\(command): \(run.stdout)")
        for (line, next) in zip(lines, lines.dropFirst()) {
            // A hard break in a paragraph: the next line's first word would have fitted on this one (the parser fills lines to 79 columns).
            let prose = !line.isEmpty && !line.hasPrefix(" ") && !line.hasSuffix(":")
            let continues = !next.isEmpty && !next.hasPrefix(" ") && !next.hasPrefix("- ")
            if prose && continues, let word = next.split(separator: " ").first {
                #expect(line.count + 1 + word.count >= 80, "\(command): hand-wrapped after «\(line)»")
            }
            // An example wrapped by the parser continues without indentation.
            if line.hasPrefix("  hubscout ") || line.hasPrefix("  HF_") {
                #expect(next.isEmpty || next.hasPrefix("  "), "\(command): example wrapped: «\(line)» «\(next)»")
            }
        }
        #expect(!run.stdout.contains("§"), "\(command)")
        #expect(!run.stdout.contains("TheBloke"), "\(command)")
        #expect(!run.stdout.contains("Sources/"), "\(command)")
    }

    @Test("commands that only read local files offer no --token or --endpoint", arguments: localOnly)
    func localOnlyOptions(_ command: [String]) async throws {
        let run = try await CLIRunner.run(command + ["--help"])
        #expect(run.status == 0, "\(command): \(run.stderr)")
        #expect(!run.stdout.contains("--token"), "\(command)")
        #expect(!run.stdout.contains("--endpoint"), "\(command)")
    }

    @Test("engine assumptions state facts a user can look up, not sections of our notes")
    func assumptions() {
        for engine in Engine.allCases {
            for line in EngineProfile.profile(for: engine).assumptions {
                #expect(!line.contains("§"), "\(engine): \(line)")
                #expect(!line.contains("fixed figure, §"), "\(engine): \(line)")
            }
        }
    }
}
