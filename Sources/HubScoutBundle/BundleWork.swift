import HubScoutCache

/// Where the bundle code's blocking work runs: a thread of its own (`BlockingWork`), never the cooperative
/// pool, with the error kept typed.
enum BundleWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(BundleError) -> T) async throws(BundleError) -> T {
        let result: Result<T, BundleError>
        do {
            result = try await BlockingWork.run { () -> Result<T, BundleError> in
                do throws(BundleError) { return .success(try work()) } catch { return .failure(error) }
            }
        } catch {
            throw .fileSystem(path: "-", operation: "run", message: "\(error)")
        }
        return try result.get()
    }
}
