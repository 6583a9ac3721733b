/// Bytes accepted for a connection but not yet written to its socket, as a queue of pieces.
///
/// Large pieces (a big `done` frame's payload) are kept as the arrays they came in, never copied; small ones
/// are packed together so a backlog of stream chunks drains in few writes. Memory held is the pending bytes.
struct OutputBuffer {
    /// Pieces below this size are packed into the last piece instead of queued on their own.
    static let packLimit = 16 << 10

    private var pieces: [[UInt8]] = []
    /// Index of the first unwritten piece; consumed pieces before it are dropped in batches.
    private var first = 0
    /// Bytes of `pieces[first]` already written.
    private var offset = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Queues `bytes[start...]`.
    mutating func append(_ bytes: [UInt8], from start: Int = 0) {
        let size = bytes.count - start
        guard size > 0 else { return }
        count += size
        if size < Self.packLimit, pieces.count > first, pieces[pieces.count - 1].count < Self.packLimit {
            pieces[pieces.count - 1].append(contentsOf: bytes[start...])
        } else if start == 0 {
            pieces.append(bytes)
        } else {
            pieces.append(Array(bytes[start...]))
        }
    }

    /// Writes pending pieces in order with `write` until it takes less than offered; returns the bytes
    /// written, or the negative result of the first failed write when nothing was written before it.
    mutating func drain(_ write: (UnsafeRawBufferPointer) -> Int) -> Int {
        var total = 0
        while first < pieces.count {
            let piece = pieces[first]
            let written = piece.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            if written < 0 { return total > 0 ? total : written }
            total += written
            count -= written
            offset += written
            guard offset == piece.count else { break }
            pieces[first] = []
            first += 1
            offset = 0
        }
        if first == pieces.count {
            pieces.removeAll(keepingCapacity: pieces.capacity <= 64)
            first = 0
        } else if first >= 64, first >= pieces.count / 2 {
            pieces.removeFirst(first)
            first = 0
        }
        return total
    }
}
