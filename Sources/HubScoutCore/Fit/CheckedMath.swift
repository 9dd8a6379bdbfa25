/// Overflow-checked Int64 arithmetic: estimates run on untrusted configs, so every product is checked.
enum CheckedMath {
    /// `a × b`, throwing on overflow.
    static func mul(_ a: Int64, _ b: Int64, _ what: String) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw FitError.overflow(what) }
        return r
    }

    /// Product of all factors, throwing on overflow.
    static func product(_ factors: [Int64], _ what: String) throws -> Int64 {
        var r: Int64 = 1
        for f in factors { r = try mul(r, f, what) }
        return r
    }

    /// `a + b`, throwing on overflow.
    static func add(_ a: Int64, _ b: Int64, _ what: String) throws -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw FitError.overflow(what) }
        return r
    }

    /// Sum of all terms, throwing on overflow.
    static func sum(_ terms: [Int64], _ what: String) throws -> Int64 {
        var r: Int64 = 0
        for t in terms { r = try add(r, t, what) }
        return r
    }

    /// `ceil(a × num / den)` for non-negative values, exact through a 128-bit intermediate.
    static func mulDivCeil(_ a: Int64, _ num: Int64, _ den: Int64, _ what: String) throws -> Int64 {
        guard a >= 0, num >= 0, den > 0 else { throw FitError.invalidValue(name: what, value: a) }
        let wide = UInt64(a).multipliedFullWidth(by: UInt64(num))
        guard wide.high < UInt64(den) else { throw FitError.overflow(what) }
        let (q, r) = UInt64(den).dividingFullWidth((high: wide.high, low: wide.low))
        let result = r > 0 ? q + 1 : q
        guard result <= UInt64(Int64.max) else { throw FitError.overflow(what) }
        return Int64(result)
    }

    /// `floor(a × num / den)` for non-negative values, exact through a 128-bit intermediate.
    static func mulDivFloor(_ a: Int64, _ num: Int64, _ den: Int64, _ what: String) throws -> Int64 {
        guard a >= 0, num >= 0, den > 0 else { throw FitError.invalidValue(name: what, value: a) }
        let wide = UInt64(a).multipliedFullWidth(by: UInt64(num))
        guard wide.high < UInt64(den) else { throw FitError.overflow(what) }
        let (q, _) = UInt64(den).dividingFullWidth((high: wide.high, low: wide.low))
        guard q <= UInt64(Int64.max) else { throw FitError.overflow(what) }
        return Int64(q)
    }
}
