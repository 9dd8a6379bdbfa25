import ArgumentParser
import HubScoutCore

/// The model a command is about, named any way people name one, and `--revision`.
struct ModelOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The model: ORG/NAME, ORG/NAME@REV, ORG/NAME:QUANT, hf.co/ORG/NAME:QUANT or a huggingface.co URL.",
                                 valueName: "model"),
              transform: { try ModelReference($0) })
    var model: ModelReference

    @Option(help: "Branch, tag or commit (default: the default branch, or the one the model names).")
    var revision: String?

    func validate() throws {
        if let revision, let named = model.revision, revision != named {
            throw ValidationError("the revision is named twice: '\(named)' in the model and '\(revision)' with --revision; keep one")
        }
    }

    /// The repository.
    var repo: RepoID { model.repo }
    /// `--revision`, else the one the reference named, else nil (the default branch).
    var effectiveRevision: String? { revision ?? model.revision }
}
