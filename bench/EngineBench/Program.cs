using ShopifyReferral.Bench;

// dotnet run -c Release --project bench/EngineBench -- matching [orders] [workers]
// dotnet run -c Release --project bench/EngineBench -- issuance [rewards] [issuers]
// dotnet run -c Release --project bench/EngineBench -- growth [orders] [small history] [large history] [workers]
// dotnet run -c Release --project bench/EngineBench -- mixed-store <db file> <referrers> <codes file> <store port> <app url>  (bench/mixed.sh)
var mode = args.FirstOrDefault() ?? "help";
// BENCH_SYNCHRONOUS=NORMAL measures without an fsync per commit.
int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
switch (mode)
{
    case "matching":
        await MatchingBench.RunAsync(Arg(1, 20_000), Arg(2, 2));
        break;
    case "growth":
        await GrowthBench.RunAsync(Arg(1, 2_000), Arg(2, 10), Arg(3, 10_000), Arg(4, 1));
        break;
    case "issuance":
        await IssuanceBench.RunAsync(Arg(1, 400), Arg(2, 2));
        break;
    case "mixed-store" when args.Length >= 6:
        await MixedStore.RunAsync(args[1], Arg(2, 5_000), args[3], Arg(4, 5303), args[5]);
        break;
    default:
        Console.WriteLine("usage: EngineBench matching [orders=20000] [workers=2] | issuance [rewards=400] [issuers=2] | growth [orders=2000] [small=10] [large=10000] [workers=1]");
        break;
}
