// Each part of the coordinator and the workers alone, in this process: the unit lane (./test.sh --fast). Metrics are
// process-wide, and a test that counts what a part emitted must not see another's.
[assembly: AssemblyTrait("Lane", "Unit")]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
