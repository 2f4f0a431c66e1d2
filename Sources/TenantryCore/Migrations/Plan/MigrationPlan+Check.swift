extension MigrationPlan {
    /// Throws one `.setup` error (exit 2) listing every problem, each with its hint; returns when there are none.
    public func check() throws(TenantryError) {
        guard problems.isEmpty else { throw IntegrityProblem.refusal(problems) }
    }

    /// Where `migrate --resume` continues: the partial migration and the 1-based statement after the last one
    /// recorded (k + 1).
    ///
    /// Refused when there is nothing to resume, when the file is gone, when the statements already applied are
    /// not the first statements of the file now (compared through `appliedPrefixChecksum`, the `StatementChecksum`
    /// of the file's first k statements, against the row's progress checksum; without either, the whole file's
    /// checksum must be unchanged), and when any other problem would stop the run.
    public func resumeStep(appliedPrefixChecksum: String? = nil) throws(TenantryError) -> (migration: Migration, fromStatement: Int) {
        guard let partial else {
            throw .usage("nothing to resume: no migration is partially applied", hint: "run `tenantry migrate`")
        }
        let stopped = "migration \(partial.file) (\(partial.version)) stopped after \(partial.statementsApplied) "
            + "of \(partial.statementsTotal) statements"
        guard let migration = partial.migration else {
            throw .setup(
                "\(stopped) and its file is missing; resume refused",
                hint: "restore the file, or finish the rest by hand and run `tenantry mark-applied` \(partial.version)")
        }
        let unchanged: Bool
        if let recorded = partial.applied.progressChecksum, let current = appliedPrefixChecksum {
            unchanged = recorded == current
        } else {
            unchanged = migration.checksum == partial.applied.checksum
        }
        guard unchanged else {
            if partial.applied.progressChecksum != nil, appliedPrefixChecksum != nil {
                throw .setup(
                    "\(stopped) and its first \(partial.statementsApplied) statements in the file now differ from the ones "
                        + "that were applied; resume refused",
                    hint: "restore those statements as they ran (only later ones may change), or finish by hand and run "
                        + "`tenantry mark-applied` \(partial.version)")
            }
            throw .setup(
                "\(stopped) and the file changed since (checksum was \(IntegrityProblem.short(partial.applied.checksum)), "
                    + "is now \(IntegrityProblem.short(migration.checksum))): the applied statements may have changed; "
                    + "resume refused",
                hint: "restore the file as it ran and resume, or finish the rest by hand and run "
                    + "`tenantry mark-applied` \(partial.version)")
        }
        // The partial row's own problems are what resuming fixes; anything else still stops the run.
        let others = problems.filter { problem in
            switch problem {
            case .partial, .edited, .deleted: problem.version != partial.version
            default: true
            }
        }
        guard others.isEmpty else { throw IntegrityProblem.refusal(others) }
        return (migration, partial.statementsApplied + 1)
    }
}
