// The attribution library's tests need no server and no process of their own: the unit lane (./test.sh --fast).
[assembly: AssemblyTrait("Lane", "Unit")]
