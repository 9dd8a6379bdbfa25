import Foundation

/// Where each tool keeps its models on this machine, read from the environment the way each tool reads it
/// (see ARCHITECTURE.md for the sources): nothing is created, a folder that is missing is simply empty.
public struct LocalModelLocations: Sendable, Equatable {
    /// Hugging Face cache roots (`HF_HUB_CACHE` and friends).
    public var huggingface: [String]
    /// Ollama model stores (`OLLAMA_MODELS`, `~/.ollama/models`, the Linux service's store).
    public var ollama: [String]
    /// LM Studio models folders (`downloadsFolder` in its settings, `<home>/models`, the legacy `~/.cache/lm-studio/models`).
    public var lmstudio: [String]
    /// llama.cpp caches (`LLAMA_CACHE`, else the per-OS default).
    public var llamacpp: [String]
    /// Folders given by hand (`--path`).
    public var paths: [String]

    public init(huggingface: [String] = [], ollama: [String] = [], lmstudio: [String] = [], llamacpp: [String] = [], paths: [String] = []) {
        self.huggingface = huggingface; self.ollama = ollama; self.lmstudio = lmstudio; self.llamacpp = llamacpp; self.paths = paths
    }

    /// The standard places, from `environment` (`HOME`, `OLLAMA_MODELS`, `LLAMA_CACHE`, `XDG_CACHE_HOME`) and the Hugging
    /// Face cache root already resolved by the caller.
    public static func standard(environment: [String: String], huggingFaceCache: String, paths: [String] = []) -> LocalModelLocations {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        var ollama: [String] = []
        if let custom = environment["OLLAMA_MODELS"], !custom.isEmpty { ollama.append(custom) }
        ollama.append(home + "/.ollama/models")
        #if os(Linux)
        ollama.append("/usr/share/ollama/.ollama/models")   // the systemd service's user
        #endif

        var llamacpp: [String] = []
        if let custom = environment["LLAMA_CACHE"], !custom.isEmpty {
            llamacpp.append(custom)
        } else {
            #if os(macOS)
            llamacpp.append(home + "/Library/Caches/llama.cpp")
            #else
            let xdg = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache"
            llamacpp.append(xdg + "/llama.cpp")
            #endif
        }
        return LocalModelLocations(huggingface: [huggingFaceCache], ollama: unique(ollama), lmstudio: lmStudioFolders(home: home),
                                   llamacpp: llamacpp, paths: paths)
    }

    /// LM Studio: its home is named by `~/.lmstudio-home-pointer`, else the legacy `~/.cache/lm-studio` when it
    /// exists, else `~/.lmstudio`; the models folder is `downloadsFolder` in `<home>/settings.json`, else `<home>/models`.
    static func lmStudioFolders(home: String) -> [String] {
        var lmHome = home + "/.lmstudio"
        if let data = FileManager.default.contents(atPath: home + "/.lmstudio-home-pointer"), data.count < 4096 {
            let pointed = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if pointed.hasPrefix("/") { lmHome = pointed }
        } else if FileFacts.stat(home + "/.cache/lm-studio")?.isDirectory == true {
            lmHome = home + "/.cache/lm-studio"
        }
        var folders: [String] = []
        if let data = FileManager.default.contents(atPath: lmHome + "/settings.json"), data.count < 1 << 20,
           let settings = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let custom = settings["downloadsFolder"] as? String, custom.hasPrefix("/") {
            folders.append(custom)
        }
        folders.append(lmHome + "/models")
        folders.append(home + "/.cache/lm-studio/models")
        return unique(folders)
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }
}
