/// The tool call `sim-tools` makes: the request's first tool, with an argument for each property of its
/// input schema (`SimToolArgument`), or when the request offers no tool, `fallbackName` with
/// `fallbackArgumentsJSON`. No call once the request's last message carries a tool result, so an agent's
/// loop (call, run the tool, send the result back) ends with a text answer.
public enum SimToolCall {
    /// The tool called when the request offers none.
    public static let fallbackName = "get_weather"
    /// The arguments of the fallback call.
    public static let fallbackArgumentsJSON = #"{"location":"Paris","unit":"celsius"}"#
}

/// The value `sim-tools` puts in an argument, chosen by the property's JSON-schema `type`.
public enum SimToolArgument: Sendable, Equatable {
    /// `string`: the text of the request's last user message.
    case userText
    /// `integer`, `number`: 1.
    case one
    /// `boolean`: true.
    case yes
    /// `array`: `[]`.
    case emptyArray
    /// `object`: `{}`.
    case emptyObject
    /// Any other type, or none: null.
    case null

    public init(schemaType: String?) {
        switch schemaType {
        case "string": self = .userText
        case "integer", "number": self = .one
        case "boolean": self = .yes
        case "array": self = .emptyArray
        case "object": self = .emptyObject
        default: self = .null
        }
    }
}
