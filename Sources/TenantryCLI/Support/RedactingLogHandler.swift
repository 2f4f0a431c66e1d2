import Logging
import TenantryCore

/// Passes every log line, and its metadata, through the `Redactor` before it reaches stderr.
struct RedactingLogHandler: LogHandler {
    private var wrapped: any LogHandler

    init(wrapping handler: any LogHandler) {
        self.wrapped = handler
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(Redactor.shared.redact(event.message.description))"
        event.metadata = event.metadata?.mapValues { .string(Redactor.shared.redact($0.description)) }
        wrapped.log(event: event)
    }
}
