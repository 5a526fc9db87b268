/// A field name and its type.
public struct FieldDescriptor: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field's type.
    public var type: FieldType

    /// Creates a descriptor.
    public init(name: String, type: FieldType) {
        self.name = name
        self.type = type
    }
}
