using ShopifyReferral.Bench;

// dotnet run -c Release --project bench/EngineBench -- matching [orders] [workers]
// dotnet run -c Release --project bench/EngineBench -- issuance [rewards] [issuers]
var mode = args.FirstOrDefault() ?? "help";
// BENCH_SYNCHRONOUS=NORMAL measures without an fsync per commit.
int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
switch (mode)
{
    case "matching":
        await MatchingBench.RunAsync(Arg(1, 20_000), Arg(2, 2));
        break;
    case "issuance":
        await IssuanceBench.RunAsync(Arg(1, 400), Arg(2, 2));
        break;
    default:
        Console.WriteLine("usage: EngineBench matching [orders=20000] [workers=2] | issuance [rewards=400] [issuers=2]");
        break;
}
