package dev.otto.conventions;

import dev.otto.conventions.Versions.Version;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * .NET: a solution or project file, restored, built and tested as the .NET CI template does
 * ({@code dotnet restore}, {@code dotnet build --no-restore}, {@code dotnet test --no-build}), on the SDK
 * {@code global.json} pins or, without one, the newest .NET its projects target, so that their tests find that
 * runtime.
 */
final class DotnetConvention implements Convention {
  private static final List<String> PROJECTS = List.of(".sln", ".slnx", ".csproj", ".fsproj", ".vbproj");
  private static final Pattern TARGET = Pattern.compile("<TargetFrameworks?>([^<]+)</TargetFrameworks?>");
  private static final Pattern NET = Pattern.compile("net(\\d+\\.\\d+)");

  @Override
  public String id() {
    return "dotnet";
  }

  @Override
  public List<String> lookedFor() {
    return PROJECTS.stream().map(suffix -> "*" + suffix).toList();
  }

  @Override
  public Optional<Project> detect(Folder folder) {
    Optional<String> file = PROJECTS.stream().flatMap(suffix -> folder.files().stream()
        .filter(name -> name.endsWith(suffix))).findFirst();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    List<String> projects = PROJECTS.stream().skip(2).flatMap(suffix -> folder.findEndingWith(suffix, 3).stream())
        .sorted().toList();
    boolean tests = projects.stream().map(folder::read).flatMap(Optional::stream)
        .anyMatch(text -> text.contains("Microsoft.NET.Test.Sdk"));
    Version sdk = version(folder, projects);
    String dotnet = "NUGET_PACKAGES=\"$PWD/.nuget/packages\" dotnet";
    String target = " '" + file.get().replace("'", "'\\''") + "'";
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
    env.put("DOTNET_NOLOGO", "1");
    List<String> keys = Stream.concat(BuiltIn.present(folder, "global.json", "Directory.Build.props",
        "Directory.Packages.props").stream(), Stream.concat(projects.stream(),
        folder.find("packages.lock.json", 3).stream())).toList();
    return Optional.of(BuiltIn.project(id(), folder, "found " + file.get() + " " + folder.where() + "; "
        + sdk.describe() + (tests ? "" : "; no Test stage, no project references Microsoft.NET.Test.Sdk"),
        "mcr.microsoft.com/dotnet/sdk:" + sdk.value(), List.of("dotnet"),
        List.of(dotnet + " restore" + target, dotnet + " build --no-restore" + target),
        tests ? List.of(dotnet + " test --no-build" + target) : List.of(), env, "nuget",
        List.of(".nuget/packages/"), keys));
  }

  /**
   * The SDK {@code global.json} pins (its release line when it rolls forward past feature bands, else the exact
   * SDK), else the newest .NET the projects target, else the default.
   */
  static Version version(Folder folder, List<String> projects) {
    Optional<Version> pinned = folder.read("global.json").flatMap(json -> {
      Matcher sdk = Pattern.compile("\"version\"\\s*:\\s*\"(\\d+\\.\\d+)(\\.\\d+)?[^\"]*\"").matcher(json);
      if (!sdk.find()) {
        return Optional.empty();
      }
      boolean rolls = Pattern.compile("\"rollForward\"\\s*:\\s*\"(latest)?(Feature|Minor|Major|feature|minor|major)")
          .matcher(json).find();
      String exact = sdk.group(1) + (sdk.group(2) == null ? "" : sdk.group(2));
      return Optional.of(new Version("dotnet", rolls ? sdk.group(1) : exact, "global.json"));
    });
    Optional<Version> targeted = Stream.concat(BuiltIn.present(folder, "Directory.Build.props").stream(),
        projects.stream()).flatMap(file -> folder.read(file).stream().flatMap(text -> {
          Matcher frameworks = TARGET.matcher(text);
          Stream.Builder<Version> found = Stream.builder();
          while (frameworks.find()) {
            for (Matcher net = NET.matcher(frameworks.group(1)); net.find(); ) {
              found.add(new Version("dotnet", net.group(1), "the target frameworks in " + file));
            }
          }
          return found.build();
        })).max(java.util.Comparator.comparingDouble(v -> Double.parseDouble(v.value())));
    return Versions.first("dotnet", List.of(pinned, targeted));
  }
}
