/// A credential. Prints as `<redacted>` everywhere (string interpolation, `dump`, logs), so a key can
/// only leave the process through `exposedValue`, which only the header-building code calls.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let exposedValue: String

    public init(_ value: String) { exposedValue = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
