/// Timeouts for test clients that check what a server answers, not how fast.
///
/// The suite runs hundreds of tests at once, each with its own server, on machines with two cores:
/// a server can be silent for many seconds while it waits for a core, which is load, not a fault.
/// Tests of stall detection set their own, short, timeouts.
public enum TestTimeouts {
    /// Seconds without a byte before a test client gives up.
    public static let stall = 90
    /// Seconds to connect.
    public static let connect: Double = 30
}
