import Foundation

/// Writes tar archives byte by byte, with no library in between, so tests can build what no honest
/// writer makes: `..` and absolute names, links and devices, duplicates, lying sizes, cut archives.
/// ustar headers, plus a pax extended header for names of 100 bytes or more.
struct BundleTarBuilder {
    /// Entry types (the ustar typeflag).
    enum EntryType: UInt8 {
        case regular = 0x30      // '0'
        case hardlink = 0x31     // '1'
        case symlink = 0x32      // '2'
        case characterDevice = 0x33
        case blockDevice = 0x34
        case directory = 0x35
        case fifo = 0x36
        case paxHeader = 0x78    // 'x'
    }

    private(set) var data = Data()

    /// A regular file with `content`; `declaredSize` writes another size into the header (content is then
    /// padded or cut to it, as a lying writer would).
    mutating func file(_ name: String, _ content: Data, declaredSize: Int? = nil) {
        let size = declaredSize ?? content.count
        entry(name, type: .regular, size: size)
        var body = content.prefix(size)
        if body.count < size { body.append(Data(count: size - body.count)) }
        append(body)
    }

    /// A text file.
    mutating func file(_ name: String, text: String) { file(name, Data(text.utf8)) }

    /// A header with no content (links, devices, folders).
    mutating func special(_ name: String, type: EntryType, linkTarget: String = "") {
        entry(name, type: type, size: 0, linkTarget: linkTarget)
    }

    /// A header announcing `size` bytes, nothing after it (to cut an archive by hand).
    mutating func headerOnly(_ name: String, size: Int) { entry(name, type: .regular, size: size) }

    /// Raw bytes (a partial body).
    mutating func raw(_ bytes: Data) { data.append(bytes) }

    /// The two zero records that end an archive.
    mutating func end() { data.append(Data(count: 1024)) }

    /// The archive so far, ended.
    func finished() -> Data {
        var copy = self
        copy.end()
        return copy.data
    }

    private mutating func entry(_ name: String, type: EntryType, size: Int, linkTarget: String = "") {
        if name.utf8.count >= 100 {
            let record = Self.paxRecord("path", name)
            data.append(Self.header(name: "PaxHeader/entry", type: .paxHeader, size: record.count, linkTarget: ""))
            append(record)
        }
        data.append(Self.header(name: String(decoding: name.utf8.prefix(99), as: UTF8.self), type: type, size: size, linkTarget: linkTarget))
    }

    private mutating func append(_ body: Data) {
        data.append(body)
        let pad = (512 - body.count % 512) % 512
        data.append(Data(count: pad))
    }

    /// `"<len> key=value\n"`, where len counts the whole record.
    static func paxRecord(_ key: String, _ value: String) -> Data {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).count + body.utf8.count != length { length += 1 }
        return Data((String(length) + body).utf8)
    }

    /// One 512-byte ustar header.
    static func header(name: String, type: EntryType, size: Int, linkTarget: String) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8), at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(0o644, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        block[156] = type.rawValue
        put(linkTarget, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - digits.count) + digits, at: 148, width: 6)
        block[154] = 0
        block[155] = 0x20
        return Data(block)
    }
}
