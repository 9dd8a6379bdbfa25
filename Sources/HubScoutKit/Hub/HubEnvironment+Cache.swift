import HubScoutCache

extension HubCache {
    /// The cache the environment names (`HF_HUB_CACHE`, `HF_HOME`).
    public init(environment: HubEnvironment) { self.init(root: environment.hubCache) }
}

extension CacheScanner {
    /// A scanner of the cache the environment names (`HF_HUB_CACHE`, `HF_HOME`).
    public init(environment: HubEnvironment) { self.init(root: environment.hubCache) }
}
