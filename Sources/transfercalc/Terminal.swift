import ArgumentParser
import TransferAlloc

/// Output plumbing shared by the subcommands: stdout/stderr bytes, atomic files, and the
/// mapping of library errors to exit statuses (1 bad data, 64 bad command line).
enum Terminal {
    static func warn(_ lines: [String]) {
        for line in lines { StandardStreams.writeError("transfercalc: warning: \(line)\n") }
    }

    /// Writes the text to `--output` atomically, or to standard output.
    static func emit(_ text: String, to path: String?) throws(InputError) {
        if let path {
            try AtomicFile.write(Array(text.utf8), to: path)
        } else {
            try StandardStreams.writeOutput(Array(text.utf8))
        }
    }

    /// Runs a subcommand body, printing library errors the same way everywhere.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            StandardStreams.writeError("transfercalc: error: \(error)\n")
            throw ExitCode(1)
        } catch let error as InputErrors {
            for item in error.errors { StandardStreams.writeError("transfercalc: error: \(item)\n") }
            throw ExitCode(1)
        } catch let error as UnknownScenario {
            try usage(UsageError(error).message)
        } catch let error as UnknownCounty {
            try usage(UsageError(error).message)
        } catch let error as VariantNameTaken {
            try usage(UsageError(error).message)
        } catch let error as SweepTooLarge {
            try usage(UsageError(error).message)
        } catch let error as MalformedValue {
            try usage(error.description)
        } catch let error as TransferAlloc.UsageError {
            try usage(error.message)
        }
    }

    /// Found only once the inputs were read: ArgumentParser would print the root command's
    /// usage line here, which helps nobody, so say it plainly with status 64.
    static func usage(_ message: String) throws -> Never {
        StandardStreams.writeError("transfercalc: error: \(message) (see --help)\n")
        throw ExitCode.validationFailure
    }
}
