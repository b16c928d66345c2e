/// Plain values of one array, in row-major order, as they enter and leave the
/// interpreter: floats as the exact `Double` of each element, integers and
/// preds (0/1) as `Int64`.
public enum HostData: Equatable, Sendable {
    case floats([Double])
    case integers([Int64])

    /// Number of elements.
    public var count: Int {
        switch self {
        case .floats(let v): return v.count
        case .integers(let v): return v.count
        }
    }
}
