import Foundation

/// One model a tool keeps on this machine, as its store describes it. Read-only facts: nothing here was written.
public struct LocalModel: Sendable, Equatable, Codable {
    /// Weight file formats the inventory recognises.
    public enum Format: String, Sendable, Codable {
        case gguf
        case safetensors
    }

    /// The tool whose store holds it.
    public var tool: LocalTool
    /// The name the tool uses (`llama3.2:latest`, `hf.co/org/name:Q4_K_M`, `publisher/repo/file.gguf`, `org/name`).
    public var name: String
    /// Where it is: the Ollama manifest, the GGUF file, the snapshot or model folder.
    public var path: String
    /// The Hub repository, where the store records it (nil: unknown, not "none").
    public var repo: String?
    /// The Hub revision (a commit), where the store records it.
    public var revision: String?
    /// Weight format.
    public var format: Format
    /// Quantization, from the store's metadata or the file name (nil: unknown).
    public var quantization: String?
    /// Weight files, and side files (projectors) with `isWeights` false.
    public var files: [LocalModelFile]

    /// Bytes on disk, each file counted once (hard links and shared blobs once).
    public var sizeBytes: Int64 {
        var seen = Set<FileIdentity>()
        return files.reduce(0) { total, file in seen.insert(file.identity).inserted ? total &+ file.size : total }
    }

    /// The main weights file (the first, for split or sharded models).
    public var mainFile: LocalModelFile? { files.first(where: \.isWeights) }

    public init(tool: LocalTool, name: String, path: String, repo: String? = nil, revision: String? = nil, format: Format,
                quantization: String? = nil, files: [LocalModelFile]) {
        self.tool = tool; self.name = name; self.path = path; self.repo = repo; self.revision = revision
        self.format = format; self.quantization = quantization; self.files = files
    }
}

/// One file of a local model.
public struct LocalModelFile: Sendable, Equatable, Codable {
    /// The path the tool uses (may be a link).
    public var path: String
    /// The content's canonical path (links resolved).
    public var contentPath: String
    /// Size in bytes.
    public var size: Int64
    /// Device and inode of the content.
    public var device: UInt64
    public var inode: UInt64
    /// Last modification of the content.
    public var modified: Date
    /// The sha256 the store's own naming states (an Ollama digest, a Hugging Face LFS blob name, a llama.cpp
    /// manifest): a claim, re-checked before anything is linked. nil when the store doesn't say.
    public var statedSHA256: String?
    /// False for side files (vision projectors, adapters).
    public var isWeights: Bool

    /// The content's identity.
    public var identity: FileIdentity { FileIdentity(device: device, inode: inode) }

    /// Facts of the file at `path` (links followed); nil when it is not a readable regular file.
    public static func at(_ path: String, statedSHA256: String? = nil, isWeights: Bool = true) -> LocalModelFile? {
        guard let real = FileFacts.realPath(path), let facts = FileFacts.lstat(real), facts.isRegular else { return nil }
        return LocalModelFile(path: path, contentPath: real, size: facts.size, device: facts.identity.device, inode: facts.identity.inode,
                              modified: facts.modified, statedSHA256: statedSHA256?.lowercased(), isWeights: isWeights)
    }
}

/// Something a store holds that is not a usable model, named for what it is. It never stops a scan.
public struct LocalModelProblem: Error, Sendable, Equatable, Codable {
    /// The tool whose store it is in.
    public var tool: LocalTool
    /// The path concerned.
    public var path: String
    /// What is wrong, in plain words.
    public var problem: String
}

/// Every local model found, and what could not be read.
public struct LocalInventory: Sendable, Equatable, Codable {
    /// Models, by tool then name.
    public var models: [LocalModel]
    /// Unreadable folders, broken links, half-written files, manifests naming missing blobs…
    public var problems: [LocalModelProblem]
    /// The store folders that were looked at, per tool (present or not).
    public var locations: [LocalStoreLocation]
}

/// One store folder looked at.
public struct LocalStoreLocation: Sendable, Equatable, Codable {
    public var tool: LocalTool
    public var path: String
    /// False when the folder does not exist (the tool is not installed there).
    public var exists: Bool
}
