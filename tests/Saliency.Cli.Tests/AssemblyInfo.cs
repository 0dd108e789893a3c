// Each class says its lane: most run in this process (Lane=Unit, ./test.sh --fast); those that start the built program say EndToEnd.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
