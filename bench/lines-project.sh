# Sourced by bench/report.sh and bench/terminal.sh: project N makes, under $work, a folder whose
# Ottofile prints N lines in one step, and prints the folder.
project() {
  local dir="$work/lines-$1"
  mkdir -p "$dir"
  cat > "$dir/Ottofile.java" <<JAVA
import static dev.otto.dsl.Otto.sh;

import dev.otto.core.model.Pipeline;
import dev.otto.dsl.Otto;

public class Ottofile {
  public static Pipeline pipeline() {
    return Otto.pipeline("lines", p -> p.stage("Print", s -> s.steps(sh("seq 1 $1"))));
  }
}
JAVA
  echo "$dir"
}
