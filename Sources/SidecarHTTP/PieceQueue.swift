/// Body pieces received but not read yet, oldest first, with their total size. Shared by both transports.
///
/// Taking from the front only advances an index (no copying); storage is reset once it is drained.
struct PieceQueue {
    private var pieces: [[UInt8]] = []
    private var first = 0
    /// Bytes held.
    private(set) var bytes = 0

    mutating func append(_ piece: [UInt8]) {
        pieces.append(piece)
        bytes += piece.count
    }

    /// The oldest piece, or nil when empty.
    mutating func removeFirst() -> [UInt8]? {
        guard first < pieces.count else { return nil }
        let piece = pieces[first]
        pieces[first] = []
        first += 1
        bytes -= piece.count
        if first == pieces.count {
            pieces.removeAll(keepingCapacity: true)
            first = 0
        }
        return piece
    }

    mutating func removeAll() { self = PieceQueue() }
}
