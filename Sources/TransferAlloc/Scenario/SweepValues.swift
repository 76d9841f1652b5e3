import Dispatch

/// Runs a sweep's values on two threads: the first half of the values on one, the second half
/// on the other, each in order. Values are independent (each is an `allocate` run), so the
/// results are the same as one loop's, concatenated in value order.
///
///     // 1,000 values: values 0…499 on one thread, 500…999 on the other.
///
/// Errors are the ones one loop would give: when the first half fails, its first failure; else
/// the second half's first failure (each half stops at its first). A failing first half also
/// stops the second early.
///
/// - Complexity: the sum of the values' costs, over two cores when the machine has them.
enum SweepValues {
    /// Below this many county values (values × counties) one thread does it all: starting a
    /// thread would cost more than it saves.
    static let parallelThreshold = 100_000

    /// `body(value, &part)` for every value; one `part` per half, in value order.
    static func compute<Part: Sendable>(
        _ values: [Rational], counties: Int, makePart: @Sendable (_ valueCount: Int) -> Part,
        _ body: @Sendable (Rational, inout Part) throws(InputError) -> Void
    ) throws(InputError) -> [Part] {
        let parts = values.count >= 2 && values.count * counties >= parallelThreshold ? 2 : 1
        let chunks = (0..<parts).map { part in (values.count * part / parts)..<(values.count * (part + 1) / parts) }
        let results = Results<Part>(count: parts)
        let stop = StopFlag()
        @Sendable func run(_ part: Int) {
            var result = makePart(chunks[part].count)
            do throws(InputError) {
                for k in chunks[part] {
                    if part > 0, stop.value.load(ordering: .relaxed) { return }
                    try body(values[k], &result)
                }
                results.set(part, .success(result))
            } catch {
                results.set(part, .failure(error))
                if part == 0 { stop.value.store(true, ordering: .relaxed) }
            }
        }
        if parts == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
        }
        var done: [Part] = []
        for part in 0..<parts {
            switch results.get(part) {
            case .success(let result): done.append(result)
            case .failure(let error): throw error
            case nil: preconditionFailure("a sweep part stopped without a result")
            }
        }
        return done
    }

    /// One slot per part, each written by its own thread only, read after both have finished
    /// (plain memory: an array property would be one variable both threads access).
    private final class Results<Part: Sendable>: @unchecked Sendable {
        private let slots: UnsafeMutablePointer<Result<Part, InputError>?>
        private let count: Int
        init(count: Int) {
            self.count = count
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil, count: count)
        }
        deinit {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        func set(_ part: Int, _ result: Result<Part, InputError>) { slots[part] = result }
        func get(_ part: Int) -> Result<Part, InputError>? { slots[part] }
    }
}
