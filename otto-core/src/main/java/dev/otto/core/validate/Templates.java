package dev.otto.core.validate;

import dev.otto.core.model.Runtime;
import dev.otto.core.model.Service;
import dev.otto.core.model.ShStep;
import dev.otto.core.model.Stage;
import dev.otto.core.model.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Replaces {@code ${matrix.AXIS}} placeholders with a matrix cell's values. */
final class Templates {
  static final String PREFIX = "${matrix.";

  private Templates() {}

  static String substitute(String text, Map<String, String> cell) {
    int at = text.indexOf(PREFIX);
    if (at < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int from = 0;
    while (at >= 0) {
      int end = text.indexOf('}', at);
      if (end < 0) {
        break;
      }
      String axis = text.substring(at + PREFIX.length(), end);
      String value = cell.get(axis);
      out.append(text, from, at).append(value != null ? value : text.substring(at, end + 1));
      from = end + 1;
      at = text.indexOf(PREFIX, from);
    }
    return out.append(text, from, text.length()).toString();
  }

  /** The first placeholder left in {@code text}, or null. */
  static String leftover(String text) {
    int at = text.indexOf(PREFIX);
    if (at < 0) {
      return null;
    }
    int end = text.indexOf('}', at);
    return end < 0 ? text.substring(at) : text.substring(at, end + 1);
  }

  /** A copy of {@code stage} and its descendants, down to {@code depthLeft} levels, with values filled in. */
  static Stage substitute(Stage stage, Map<String, String> cell, int depthLeft) {
    Stage.Builder copy = Stage.builder(stage.name()).from(stage);
    stage.runtime().ifPresent(r -> copy.runtime(substitute(r, cell)));
    copy.steps(substituteSteps(stage.steps(), cell));
    copy.services(substituteServices(stage.services(), cell));
    List<Stage> children = new ArrayList<>(stage.stages().size());
    if (depthLeft > 0) {
      for (Stage child : stage.stages()) {
        children.add(substitute(child, cell, depthLeft - 1));
      }
    }
    copy.stages(children);
    return copy.build();
  }

  private static Runtime substitute(Runtime runtime, Map<String, String> cell) {
    if (runtime instanceof Runtime.Container c) {
      return Runtime.container(substitute(c.image(), cell));
    }
    if (runtime instanceof Runtime.Agent a) {
      return Runtime.agent(substitute(a.label(), cell));
    }
    return runtime;
  }

  private static List<Service> substituteServices(List<Service> services, Map<String, String> cell) {
    List<Service> out = new ArrayList<>(services.size());
    for (Service service : services) {
      Map<String, String> env = new LinkedHashMap<>();
      service.env().forEach((k, v) -> env.put(k, substitute(v, cell)));
      out.add(Service.builder(service.name(), service.image()).from(service).image(substitute(service.image(), cell))
          .env(env).build());
    }
    return out;
  }

  private static List<Step> substituteSteps(List<Step> steps, Map<String, String> cell) {
    List<Step> out = new ArrayList<>(steps.size());
    for (Step step : steps) {
      if (step instanceof ShStep sh) {
        Map<String, String> env = new LinkedHashMap<>();
        sh.env().forEach((k, v) -> env.put(k, substitute(v, cell)));
        ShStep.Builder b = ShStep.builder().from(sh).script(substitute(sh.script(), cell)).env(env);
        sh.name().ifPresent(n -> b.name(substitute(n, cell)));
        out.add(b.build());
      } else {
        out.add(step);
      }
    }
    return out;
  }
}
