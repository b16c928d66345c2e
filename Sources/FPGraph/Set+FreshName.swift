extension Set where Element == String {
    /// The first of `base`, `base.1`, `base.2`, ... that is not in the set: a
    /// node name that clashes with none already taken.
    public func freshName(_ base: String) -> String {
        var name = base
        var k = 1
        while contains(name) {
            name = "\(base).\(k)"
            k += 1
        }
        return name
    }
}
