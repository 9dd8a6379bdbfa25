import Foundation
import HubScoutCore

/// Counts bytes for progress events from many transfer threads.
/// `@unchecked Sendable`: every field is guarded by `lock`.
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var totalBytes: Int64
    private var files: [String: DownloadProgress.FileProgress] = [:]
    private var order: [String] = []
    private var finishedBytes: Int64 = 0
    private var networkBytes: Int64 = 0
    private var networkByFile: [String: Int64] = [:]
    private var filesDone = 0
    private let filesTotal: Int
    /// (time, network bytes) samples for a moving-window speed.
    private var samples: [(Double, Int64)] = []
    private let start = ProcessInfo.processInfo.systemUptime

    init(totalBytes: Int64, filesTotal: Int) {
        self.totalBytes = totalBytes
        self.filesTotal = filesTotal
    }

    func started(_ path: String, size: Int64, completed: Int64) {
        lock.withLock {
            if files[path] == nil { order.append(path) }
            files[path] = .init(path: path, size: size, completed: completed)
        }
    }

    /// Bytes just received for `path`.
    func received(_ path: String, _ count: Int) {
        lock.withLock {
            networkBytes += Int64(count)
            networkByFile[path, default: 0] += Int64(count)
            files[path]?.completed += Int64(count)
        }
    }

    /// The file restarted with `completed` bytes kept.
    func reset(_ path: String, completed: Int64) {
        lock.withLock { files[path]?.completed = completed }
    }

    /// The size announced by the server differs from the plan's.
    func resize(_ path: String, size: Int64, plannedSize: Int64) {
        lock.withLock {
            totalBytes = ByteTotal.adding(totalBytes, size - plannedSize)
            files[path]?.size = size
        }
    }

    func finished(_ path: String, size: Int64) {
        lock.withLock {
            files[path] = nil
            order.removeAll { $0 == path }
            finishedBytes = ByteTotal.adding(finishedBytes, size)
            filesDone += 1
        }
    }

    /// Counts a file that needed no transfer; `plannedBytes` is what the total had reserved for it.
    func skipped(plannedBytes: Int64 = 0) {
        lock.withLock {
            filesDone += 1
            totalBytes -= plannedBytes
        }
    }

    var bytesReceived: Int64 { lock.withLock { networkBytes } }

    /// Bytes received for one file in this run.
    func bytesReceived(for path: String) -> Int64 { lock.withLock { networkByFile[path] ?? 0 } }

    func snapshot() -> DownloadProgress {
        lock.withLock {
            let now = ProcessInfo.processInfo.systemUptime - start
            samples.append((now, networkBytes))
            while let first = samples.first, now - first.0 > 5, samples.count > 2 { samples.removeFirst() }
            var speed = 0.0
            if let first = samples.first, now - first.0 > 0.5 {
                speed = Double(networkBytes - first.1) / (now - first.0)
            } else if now > 0.05 {
                // Too early for a window: the average since the start.
                speed = Double(networkBytes) / now
            }
            let active = order.compactMap { files[$0] }
            let completed = ByteTotal.adding(finishedBytes, ByteTotal.saturatingSum(active.map(\.completed)))
            let left = max(0, totalBytes - completed)
            let eta: Double? = speed > 0 ? Double(left) / speed : (left == 0 ? 0 : nil)
            return DownloadProgress(totalBytes: totalBytes, completedBytes: completed, networkBytes: networkBytes,
                                    bytesPerSecond: speed, etaSeconds: eta, filesDone: filesDone, filesTotal: filesTotal, active: active)
        }
    }
}
