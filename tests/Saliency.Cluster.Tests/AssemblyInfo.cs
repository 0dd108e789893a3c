// Metrics and activity listeners are process-wide: tests that count what a sweep emitted must not
// see another test's sweep, and the two cores are better spent on one cluster at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Most of these tests start clusters of silos, real processes and servers: the end-to-end lane. The classes that test
// a grain-side part alone carry Lane=Unit as well and run in ./test.sh --fast.
[assembly: AssemblyTrait("Lane", "EndToEnd")]
