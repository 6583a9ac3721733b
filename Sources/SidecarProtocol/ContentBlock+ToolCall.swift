extension ContentBlock {
    /// The block for a tool call whose arguments arrived as JSON text: `.toolUse` when the text is a JSON
    /// object, or empty (a tool without arguments, `{}`); otherwise `.incompleteToolUse` keeping the text, so
    /// arguments cut off by `max_tokens` or malformed upstream never pass for a complete call.
    public static func toolCall(id: String, name: String, arguments: String) -> ContentBlock {
        if arguments.isEmpty { return .toolUse(id: id, name: name, input: [:]) }
        guard let input = try? JSONValue.parse(Array(arguments.utf8)), input.objectValue != nil else {
            return .incompleteToolUse(id: id, name: name, partialJSON: arguments)
        }
        return .toolUse(id: id, name: name, input: input)
    }
}
