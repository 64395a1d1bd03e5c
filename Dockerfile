# The app as a container: build with the SDK, run on the ASP.NET runtime as a non-root user.
# Not built in CI (no container engine there): keep it minimal, and see "Deploy" in the README.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY src/ShopifyReferral/ShopifyReferral.csproj src/ShopifyReferral/
RUN dotnet restore src/ShopifyReferral/ShopifyReferral.csproj
COPY src/ShopifyReferral/ src/ShopifyReferral/
RUN dotnet publish src/ShopifyReferral/ShopifyReferral.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# /data holds the SQLite file and the Data Protection key ring (tokens are encrypted with it): mount a volume there,
# the same one for every instance that shares the database, or tokens written by one cannot be read by another.
ENV ASPNETCORE_URLS=http://+:8080 \
    ConnectionStrings__Referral="Data Source=/data/referral.db" \
    DataProtection__KeysFolder=/data/keys
RUN mkdir -p /data && chown app:app /data
VOLUME /data
USER app
EXPOSE 8080
# No HEALTHCHECK: the runtime image has no HTTP client; point the orchestrator at /health/live and /health/ready.
ENTRYPOINT ["dotnet", "ShopifyReferral.dll"]
