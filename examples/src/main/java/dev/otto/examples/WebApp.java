package dev.otto.examples;

import static dev.otto.dsl.Otto.approval;
import static dev.otto.dsl.Otto.branch;
import static dev.otto.dsl.Otto.docker;
import static dev.otto.dsl.Otto.sameAs;
import static dev.otto.dsl.Otto.sh;
import static dev.otto.dsl.Otto.webhook;
import static dev.otto.dsl.Otto.when;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;
import dev.otto.dsl.library.Slack;
import java.time.Duration;
import java.util.List;

/**
 * The original Otto web application example: a Rails app built in a Ruby container, tested,
 * pushed to a pre-production environment on master (with an approval that staging looks good),
 * then to production after a second approval, watched by a health-check webhook.
 */
public final class WebApp {
  private WebApp() {}

  /** The web app as this project's documentation shows it, production open only to {@code master}. */
  public static Pipeline pipeline() {
    return pipeline(true);
  }

  /**
   * The web app as the original Otto example writes it: the only branch gate is Pre-production's
   * {@code when(branch().is("master"))}. On another branch Production is skipped all the same,
   * because the stage it follows was skipped.
   */
  public static Pipeline asWritten() {
    return pipeline(false);
  }

  private static Pipeline pipeline(boolean productionOnlyFromMaster) {
    return Otto.pipeline("webapp", p -> {
      var slackHook = p.secret("slack-webhook-url");
      var slack = p.use(Slack.library(), cfg -> cfg.channel("#otto").webhook(slackHook));
      var herokuKey = p.secret("heroku-api-key");
      var preprod = p.environment("preprod", e -> e.setting("HOSTNAME", "preprod-ottoapp.herokuapp.com"));
      var production = p.environment("production", e -> {
        e.setting("HOSTNAME", "ottoapp.herokuapp.com").setting("RAILS_ENV", "production");
        if (productionOnlyFromMaster) {
          e.allowBranches("master");
        }
      });
      var gems = p.cache("gems", List.of("vendor/"), List.of("Gemfile.lock"));
      var assets = p.cache("assets", "dist/css/", "dist/js/");

      var build = p.stage("Build", s -> s
          .runtime(docker("ruby"))
          .saves(gems, assets)
          .steps(sh("bundle install --path=vendor"), sh("bundle exec rake assets:prepare")));

      p.stage("Test", s -> s
          .runtime(sameAs(build))
          .restores(gems)
          .steps(sh("bundle exec rake spec")));

      p.stage("Deploy", deploy -> {
        var pre = deploy.stage("Pre-production", s -> s
            .environment(preprod)
            .enter(when(branch().is("master")))
            .exit(approval("Does staging look good to you?").timeout(Duration.ofHours(24)))
            .runtime(sameAs(build))
            .restores(assets)
            .steps(sh("git push heroku staging").with(herokuKey.asEnv("HEROKU_API_KEY")))
            .onSuccess(slack.send("Successfully pushed to preprod"))
            .onFailure(slack.send("Fire on warlock mountain!")));

        deploy.stage("Production", s -> s
            .environment(production)
            .after(pre)
            .enter(approval("Are you extra sure that staging looks good to you?").timeout(Duration.ofHours(24)))
            .exit(webhook("Pingdom health check").timeout(Duration.ofMinutes(30)))
            .runtime(sameAs(build))
            .restores(assets)
            .steps(sh("git push heroku production").with(herokuKey.asEnv("HEROKU_API_KEY"))));
      });
    });
  }
}
