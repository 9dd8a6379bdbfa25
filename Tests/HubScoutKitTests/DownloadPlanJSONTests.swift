import Foundation
import HubScoutCore
import Testing
@testable import HubScoutKit

/// The plan is typed in memory and keeps the JSON shape `download --dry-run --json` has always printed.
@Suite("Download plan JSON")
struct DownloadPlanJSONTests {
    static func plans() throws -> (cache: DownloadPlan, local: DownloadPlan) {
        let commit = try #require(CommitHash(String(repeating: "ab", count: 20)))
        let blob = try #require(BlobID(String(repeating: "cd", count: 32)))
        let files = [
            DownloadPlan.File(path: try SafeRelativePath("model.safetensors"), size: 1000, etag: blob, isLFS: true, state: .partial, partialBytes: 400),
            DownloadPlan.File(path: try SafeRelativePath("sub/config.json"), size: 2, etag: nil, isLFS: false),
        ]
        let cache = DownloadPlan(repo: try RepoID("acme/tiny"), revision: "main", commit: commit,
                                 target: .cache(HubCache(root: "/c"), repoFolder: "models--acme--tiny"), files: files, gated: .manual,
                                 tokenSource: .commandLine, access: .denied("nope"), freeBytes: 5000)
        let local = DownloadPlan(repo: try RepoID("gpt2"), revision: "refs/pr/1", commit: commit,
                                 target: .localDirectory(LocalDirectory(root: "/l/dir")), files: files, gated: .notGated, access: .granted)
        return (cache, local)
    }

    static func json(_ plan: DownloadPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    @Test("cache and local-dir plans print the same keys and values as before the plan was typed")
    func shape() throws {
        let (cache, local) = try Self.plans()
        #expect(try Self.json(cache) == Self.cacheJSON)
        #expect(try Self.json(local) == Self.localJSON)
        #expect(cache.destination == "/c/models--acme--tiny/snapshots/" + cache.commit.value)
        #expect(local.destination == "/l/dir" && local.isLocalDirectory && local.cacheRoot == nil)
    }

    @Test("the JSON reads back into the same typed plan")
    func roundTrip() throws {
        let (cache, local) = try Self.plans()
        for plan in [cache, local] {
            let decoded = try JSONDecoder().decode(DownloadPlan.self, from: Data(try Self.json(plan).utf8))
            #expect(decoded.repo == plan.repo && decoded.target == plan.target && decoded.files == plan.files)
            #expect(decoded.access == plan.access && decoded.tokenSource == plan.tokenSource && decoded.isGated == plan.isGated)
        }
    }

    @Test("a plan naming an unsafe file path or repository folder does not decode", arguments: [
        ("\"path\" : \"model.safetensors\"", "\"path\" : \"../../escape\""),
        ("\"repoFolder\" : \"models--acme--tiny\"", "\"repoFolder\" : \"../../etc\""),
        ("\"repoFolder\" : \"models--acme--tiny\"", "\"repoFolder\" : \"models--a/../../x\""),
    ])
    func hostile(original: String, replacement: String) throws {
        let text = try Self.json(try Self.plans().cache).replacingOccurrences(of: original, with: replacement)
        #expect(text.contains(replacement))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DownloadPlan.self, from: Data(text.utf8)) }
    }

    static let cacheJSON = """
        {
          "access" : "denied: nope",
          "cacheRoot" : "/c",
          "commit" : "abababababababababababababababababababab",
          "destination" : "/c/models--acme--tiny/snapshots/abababababababababababababababababababab",
          "files" : [
            {
              "etag" : "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
              "isLFS" : true,
              "partialBytes" : 400,
              "path" : "model.safetensors",
              "size" : 1000,
              "state" : "partial"
            },
            {
              "isLFS" : false,
              "partialBytes" : 0,
              "path" : "sub/config.json",
              "size" : 2,
              "state" : "missing"
            }
          ],
          "freeBytes" : 5000,
          "gated" : "manual",
          "isLocalDirectory" : false,
          "offline" : false,
          "repo" : "acme/tiny",
          "repoFolder" : "models--acme--tiny",
          "revision" : "main",
          "tokenSource" : "--token"
        }
        """

    static let localJSON = """
        {
          "access" : "granted",
          "commit" : "abababababababababababababababababababab",
          "destination" : "/l/dir",
          "files" : [
            {
              "etag" : "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
              "isLFS" : true,
              "partialBytes" : 400,
              "path" : "model.safetensors",
              "size" : 1000,
              "state" : "partial"
            },
            {
              "isLFS" : false,
              "partialBytes" : 0,
              "path" : "sub/config.json",
              "size" : 2,
              "state" : "missing"
            }
          ],
          "isLocalDirectory" : true,
          "offline" : false,
          "repo" : "gpt2",
          "revision" : "refs/pr/1"
        }
        """
}
