import Foundation

extension HubEnvironment {
    /// The environment of this process: `HF_ENDPOINT`, `HF_HOME`, `HF_HUB_CACHE`, `HF_TOKEN`, `HF_HUB_OFFLINE`
    /// and the rest, read the way `huggingface_hub` reads them.
    ///
    /// ```swift
    /// let hub = try HubScout(environment: .current)
    /// ```
    public static var current: HubEnvironment { HubEnvironment() }
}
