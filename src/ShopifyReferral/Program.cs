// The whole start-up is App.RunAsync, which the dev host (src/ShopifyReferral.DevHost) calls too.
return await ShopifyReferral.App.RunAsync(args);

public partial class Program;
