/// Timeouts for test clients that check what a server answers, not how fast.
///
/// The suite runs hundreds of tests at once, each with its own server, on machines with two cores:
/// a server can be silent for many seconds while it waits for a core, which is load, not a fault.
/// Tests of stall detection set their own, short, timeouts.
public enum TestTimeouts {
    /// Seconds without a byte before a test client gives up.
    public static let stall = 180
    /// Seconds to connect.
    public static let connect: Double = 30
    /// Seconds a child `hubscout` process may run before it is deemed hung and killed: a guard against hangs,
    /// far above what any command needs, since under full-suite load a short command can wait a minute for a core.
    public static let child: Double = 300
}
