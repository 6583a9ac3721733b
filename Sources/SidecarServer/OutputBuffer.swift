/// Bytes accepted for a connection but not yet written to its socket.
///
/// A flat array with a read position, compacted when the consumed prefix dominates: appends are amortised
/// O(1) and the common case (everything written at once) never copies.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private var head = 0

    var count: Int { bytes.count - head }
    var isEmpty: Bool { head == bytes.count }

    mutating func append(_ more: ArraySlice<UInt8>) {
        if head > 0 && head >= bytes.count / 2 {
            bytes.removeFirst(head)
            head = 0
        }
        bytes.append(contentsOf: more)
    }

    /// Calls `write` with the pending bytes; drops as many as it reports written.
    mutating func drain(_ write: (UnsafeRawBufferPointer) -> Int) -> Int {
        guard !isEmpty else { return 0 }
        let written = bytes.withUnsafeBytes { raw in write(UnsafeRawBufferPointer(rebasing: raw[head...])) }
        if written > 0 { head += written }
        if head == bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= 64 * 1024)
            head = 0
        }
        return written
    }
}
