/// Bytes accepted for a connection but not yet written to its socket, as a queue of pieces.
///
/// Large pieces (a big `done` frame's payload) are kept as the arrays they came in, with a read position,
/// never copied; small ones are packed together so a backlog of stream chunks drains in few writes. Memory
/// held is the pending bytes.
struct OutputBuffer {
    /// Pieces below this size are packed into the last piece instead of queued on their own.
    static let packLimit = 16 << 10

    private struct Piece {
        var bytes: [UInt8]
        /// Bytes before this one are written.
        var start: Int
    }

    private var pieces: [Piece] = []
    /// Index of the first unwritten piece; consumed pieces before it are dropped in batches.
    private var first = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Queues `bytes[start...]`.
    mutating func append(_ bytes: [UInt8], from start: Int = 0) {
        let size = bytes.count - start
        guard size > 0 else { return }
        count += size
        if size < Self.packLimit, pieces.count > first, pieces[pieces.count - 1].bytes.count < Self.packLimit {
            pieces[pieces.count - 1].bytes.append(contentsOf: bytes[start...])
        } else {
            pieces.append(Piece(bytes: bytes, start: start))
        }
    }

    /// Writes pending pieces in order with `write` until it takes less than offered; returns the bytes
    /// written, or the negative result of the first failed write when nothing was written before it.
    mutating func drain(_ write: (UnsafeRawBufferPointer) -> Int) -> Int {
        var total = 0
        while first < pieces.count {
            let piece = pieces[first]
            let written = piece.bytes.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[piece.start...])) }
            if written < 0 { return total > 0 ? total : written }
            total += written
            count -= written
            pieces[first].start += written
            guard pieces[first].start == piece.bytes.count else { break }
            pieces[first] = Piece(bytes: [], start: 0)
            first += 1
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
