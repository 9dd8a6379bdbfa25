import Foundation
import HubScoutCore

/// The sidecar (`<partial>.json`) that makes a partial download resumable across runs, even when
/// several ranges were written at once: which byte ranges are on disk, for which content.
/// It stores the canonical resolve URL only, never a signed CDN URL (those expire).
struct PartialState: Codable, Sendable, Equatable {
    /// One range of the file and how much of it, from its start, is on disk.
    struct Part: Codable, Sendable, Equatable {
        var start: Int64
        var end: Int64
        var done: Int64

        var isComplete: Bool { done >= end - start }
        var nextOffset: Int64 { start + done }
    }

    var version = 1
    /// The repository path of the file (a sidecar naming an unsafe path does not decode).
    var path: SafeRelativePath
    /// The blob etag (the content's identity).
    var etag: BlobID
    var size: Int64
    /// The canonical `/resolve/<commit>/<path>` URL.
    var resolveURL: String
    /// The `ETag` the content host sent, for `If-Range` (it differs from the blob etag on the Hub's CDN).
    var contentETag: String?
    var parts: [Part]

    init(path: SafeRelativePath, etag: BlobID, size: Int64, resolveURL: String, contentETag: String?, parts: [Part]) {
        self.path = path
        self.etag = etag
        self.size = size
        self.resolveURL = resolveURL
        self.contentETag = contentETag
        self.parts = parts
    }

    /// A fresh layout: one part, or `count` near-equal parts.
    static func fresh(path: SafeRelativePath, etag: BlobID, size: Int64, resolveURL: String) -> PartialState {
        PartialState(path: path, etag: etag, size: size, resolveURL: resolveURL, contentETag: nil,
                     parts: [Part(start: 0, end: size, done: 0)])
    }

    private enum CodingKeys: String, CodingKey { case version, path, etag, size, resolveURL, contentETag, parts }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        path = try c.decodeSafePath(forKey: .path)
        etag = try c.decode(BlobID.self, forKey: .etag)
        size = try c.decode(Int64.self, forKey: .size)
        resolveURL = try c.decode(String.self, forKey: .resolveURL)
        contentETag = try c.decodeIfPresent(String.self, forKey: .contentETag)
        parts = try c.decode([Part].self, forKey: .parts)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(path.value, forKey: .path)
        try c.encode(etag, forKey: .etag)
        try c.encode(size, forKey: .size)
        try c.encode(resolveURL, forKey: .resolveURL)
        try c.encodeIfPresent(contentETag, forKey: .contentETag)
        try c.encode(parts, forKey: .parts)
    }

    /// Bytes already on disk.
    var bytesDone: Int64 { parts.reduce(0) { $0 + min($1.done, $1.end - $1.start) } }

    /// True when the parts tile `[0, size)` exactly with sane counters (a hand-edited or foreign sidecar is dropped).
    var isConsistent: Bool {
        guard size >= 0, !parts.isEmpty || size == 0 else { return false }
        var expected: Int64 = 0
        for part in parts {
            guard part.start == expected, part.end >= part.start, part.done >= 0, part.done <= part.end - part.start else { return false }
            expected = part.end
        }
        return expected == size
    }

    /// Merges complete neighbours and splits what is missing into at most `connections` active parts
    /// of at least `minimumPart` bytes, so a resumed download uses every connection again.
    mutating func relayout(connections: Int, minimumPart: Int64) {
        var settled: [Part] = []
        var gaps: [(Int64, Int64)] = []
        for part in parts {
            if part.done > 0 { settled.append(Part(start: part.start, end: part.start + part.done, done: part.done)) }
            if !part.isComplete { gaps.append((part.nextOffset, part.end)) }
        }
        let missing = gaps.reduce(Int64(0)) { $0 + ($1.1 - $1.0) }
        var pieces: [Part] = []
        for (start, end) in gaps {
            let length = end - start
            // Share the connections among gaps by size.
            let share = missing > 0 ? Int((Double(length) / Double(missing) * Double(connections)).rounded()) : 1
            let count = max(1, min(share, Int(length / max(minimumPart, 1))))
            let step = length / Int64(count)
            var offset = start
            for index in 0..<count {
                let pieceEnd = index == count - 1 ? end : offset + step
                pieces.append(Part(start: offset, end: pieceEnd, done: 0))
                offset = pieceEnd
            }
        }
        var merged: [Part] = []
        for part in (settled + pieces).sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, last.isComplete, part.isComplete, last.end == part.start {
                merged[merged.count - 1] = Part(start: last.start, end: part.end, done: part.end - last.start)
            } else {
                merged.append(part)
            }
        }
        parts = merged.isEmpty ? [Part(start: 0, end: size, done: 0)] : merged
    }
}
