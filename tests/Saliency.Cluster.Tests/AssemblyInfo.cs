// Metrics and activity listeners are process-wide: tests that count what a sweep emitted must not
// see another test's sweep, and the two cores are better spent on one cluster at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
