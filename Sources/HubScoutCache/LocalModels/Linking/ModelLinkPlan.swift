import Foundation

/// What `hubscout link` writes into another tool's store: hard links to the cache's bytes and small files of the
/// tool's own format. Nothing is copied, and nothing is overwritten that is not the tool's entry for this model.
public struct ModelLinkPlan: Sendable, Equatable, Encodable {
    /// One step.
    public enum Step: Sendable, Equatable, Encodable {
        /// Hard-link `from` (the cache's bytes) at `to`.
        case hardLink(from: String, to: String, size: Int64)
        /// Write a small file (a manifest, a config, a template).
        case write(path: String, contents: Data)
        /// Nothing to do: `path` already holds these bytes.
        case present(path: String)

        /// The path in the tool's store this step concerns.
        public var path: String {
            switch self {
            case let .hardLink(_, to, _): to
            case let .write(path, _): path
            case let .present(path): path
            }
        }

        /// `link`, `write` or `present`.
        public var action: String {
            switch self {
            case .hardLink: "link"
            case .write: "write"
            case .present: "present"
            }
        }

        enum Keys: String, CodingKey { case action, path, from, size }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(action, forKey: .action)
            try c.encode(path, forKey: .path)
            switch self {
            case let .hardLink(from, _, size): try c.encode(from, forKey: .from); try c.encode(size, forKey: .size)
            case let .write(_, contents): try c.encode(contents.count, forKey: .size)
            case .present: break
            }
        }
    }

    public var target: ModelLinkTarget
    /// The store folder written into.
    public var store: String
    /// The name the tool lists the model under (`hf.co/ORG/NAME:Q4_K_M`, `ORG/NAME/file.gguf`, `ORG/NAME:Q4_K_M`).
    public var modelName: String
    public var steps: [Step]
    /// Facts worth saying (`no Ollama template matches this chat template: …`).
    public var notes: [String]

    public init(target: ModelLinkTarget, store: String, modelName: String, steps: [Step], notes: [String] = []) {
        self.target = target; self.store = store; self.modelName = modelName; self.steps = steps; self.notes = notes
    }

    /// Bytes the tool gets through links, none of them copied.
    public var linkedBytes: Int64 {
        steps.reduce(0) { total, step in
            if case let .hardLink(_, _, size) = step { return total &+ size }
            return total
        }
    }
}
