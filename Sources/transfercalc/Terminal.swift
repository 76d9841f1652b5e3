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
        // Written from the string's own UTF-8 storage: a report is megabytes, and copying it
        // into an array first cost a copy and the page faults of a second buffer.
        try emit([StreamedOutput(path: path) { (write) throws(InputError) in
            var text = text
            let result: Result<Void, InputError> = text.withUTF8 { utf8 in
                Result { () throws(InputError) in try write(UnsafeRawBufferPointer(utf8)) }
            }
            try result.get()
        }])
    }

    /// Writes every output of one run, or none: files are staged beside their targets, standard
    /// output is written, and only then are the files renamed into place.
    static func emit(_ outputs: [(bytes: [UInt8], path: String?)]) throws(InputError) {
        try emit(outputs.map { StreamedOutput(path: $0.path, bytes: $0.bytes) })
    }

    /// An output given in pieces (a long table is never held whole).
    struct StreamedOutput {
        var path: String?
        var write: ((UnsafeRawBufferPointer) throws(InputError) -> Void) throws(InputError) -> Void

        init(path: String?, write: @escaping ((UnsafeRawBufferPointer) throws(InputError) -> Void) throws(InputError) -> Void) {
            self.path = path
            self.write = write
        }

        /// An output already whole, written in one piece.
        init(path: String?, bytes: [UInt8]) {
            self.init(path: path) { (write) throws(InputError) in
                let result: Result<Void, InputError> = bytes.withUnsafeBytes { raw in
                    Result { () throws(InputError) in try write(raw) }
                }
                try result.get()
            }
        }
    }

    static func emit(_ outputs: [StreamedOutput]) throws(InputError) {
        var staged: [AtomicFile.Staged] = []
        do throws(InputError) {
            for output in outputs {
                if let path = output.path { staged.append(try AtomicFile.stage(to: path, writing: output.write)) }
            }
            for output in outputs where output.path == nil {
                do throws(InputError) {
                    try output.write { (piece) throws(InputError) in try StandardStreams.writeOutput(piece) }
                } catch {
                    throw withFlagHints(error)
                }
            }
        } catch {
            staged.forEach { $0.discard() }
            throw error
        }
        for (index, file) in staged.enumerated() {
            do throws(InputError) {
                try file.commit()
            } catch {
                staged[(index + 1)...].forEach { $0.discard() }
                throw error
            }
        }
    }

    /// Refuses, before anything is read, an output that is one of the inputs (the run would
    /// replace it, possibly the only copy) and two outputs that are one file.
    static func refuseOverwriting(inputs: [String?], outputs: [(flag: String, path: String?)]) throws(InputError) {
        let named = outputs.compactMap { output in output.path.map { (flag: output.flag, path: $0) } }
        for output in named {
            for case let input? in inputs where AtomicFile.wouldReplace(input: input, output: output.path) {
                throw InputError(file: output.path, problem: "is the input \(input) (the same file); writing \(output.flag) would destroy it",
                                 accepted: "an output path that is not one of the inputs")
            }
        }
        for (i, first) in named.enumerated() {
            for second in named[(i + 1)...] where AtomicFile.sameOutput(first.path, second.path) {
                throw InputError(file: second.path, problem: "is given to both \(first.flag) and \(second.flag)",
                                 accepted: "a different file for each output")
            }
        }
    }

    /// Writes the output to standard output; a failed write says `--output` is the other way.
    static func writeOutput(_ bytes: [UInt8]) throws(InputError) {
        do {
            try StandardStreams.writeOutput(bytes)
        } catch {
            throw withFlagHints(error)
        }
    }

    /// Prints a library error as `transfercalc: error: …`.
    static func printError(_ error: InputError) {
        StandardStreams.writeError("transfercalc: error: \(withFlagHints(error))\n")
    }

    /// The error with what is expected worded in flags: how `--encoding` forces a decoding,
    /// that `--output` is the other way out, and `--against` for whatif's comparison with the previous amounts.
    static func withFlagHints(_ error: InputError) -> InputError {
        var error = error
        switch error.accepted {
        case TextEncoding.acceptedText?:
            error.accepted = TextEncoding.acceptedText + " (\(FlagName.encoding) utf8|gb18030 forces one)"
        case StandardStreams.outputAccepted?:
            error.accepted = StandardStreams.outputAccepted + " (or \(FlagName.output) FILE)"
        case WhatIf.prevAmountMissingAccepted?:
            error.problem = "is missing, but whatif \(FlagName.against) previous compares each county with its prev_amount"
            error.accepted = "a prev_amount (上年分配金额) column, or \(FlagName.against) baseline"
        default: break
        }
        return error
    }

    /// Runs a subcommand body, printing library errors the same way everywhere.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            printError(error)
            throw ExitCode(1)
        } catch let error as InputErrors {
            error.errors.forEach(printError)
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
        }
    }

    /// Found only once the inputs were read: ArgumentParser would print the root command's
    /// usage line here, which helps nobody, so say it plainly with status 64.
    static func usage(_ message: String) throws -> Never {
        StandardStreams.writeError("transfercalc: error: \(message) (see --help)\n")
        throw ExitCode.validationFailure
    }
}
