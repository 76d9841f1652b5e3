/// A problem with the command line found once the inputs are read. Kept only for `Sweep` and
/// `WhatIf`, which still throw it with flag names in the text; the library's other errors say
/// what is wrong with which value (`UnknownScenario`, `UnknownCounty`, `MalformedValue`) and
/// the command line words them.
@available(*, deprecated, message: "throw UnknownScenario, MalformedValue or an error of your own; the CLI words it")
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
