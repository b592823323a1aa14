package io.spillway.engine;

import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the moment of a {@code --consistent} execution held until every unit of its plan is
 * committed, whichever task commits it: the task that planned calls it after its own units. Tasks
 * that fail for good leave units uncommitted, so it waits until the engine stops it (its task
 * timeout); a moment that is lost meanwhile ends the wait with the reason.
 */
final class Holding {
    private static final Logger log = LoggerFactory.getLogger(Holding.class);

    private Holding() {}

    static void untilCommitted(Store store, Plan plan, Source.Moment moment, Duration poll) throws Exception {
        Set<String> expected = plan.assignments().stream()
                .map(a -> Layout.unitRecord(plan.execution(), a.unit().table(), a.unit().part()))
                .collect(Collectors.toCollection(HashSet::new));
        String prefix = Layout.execution(plan.execution()) + "units/";
        int logged = -1;
        while (true) {
            Set<String> missing = new HashSet<>(expected);
            List<Store.StoredObject> committed = store.list(prefix);
            committed.forEach(o -> missing.remove(o.path()));
            if (missing.isEmpty()) {
                log.info("Every unit of execution {} is committed: letting its moment go", plan.execution());
                return;
            }
            moment.check();
            if (missing.size() != logged) {
                log.info("Holding the moment of execution {} open for {} units of other tasks not yet committed",
                        plan.execution(), missing.size());
                logged = missing.size();
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
