import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Contestants measured one after the other in rounds whose order reverses from one round to the
 * next: the machine's load and the JIT's warmth drift during a run, and a drift that favours whatever
 * runs last would otherwise decide the comparison. Each caller keeps the rows its measure makes and
 * judges them over all rounds together.
 */
final class InterleavedRounds {
    private InterleavedRounds() {
    }

    /** One contestant's turn in one round (numbered from 1). */
    @FunctionalInterface
    interface Turn<T> {
        void run(T contestant, int round) throws Exception;
    }

    static <T> void run(List<T> contestants, int rounds, Turn<T> turn) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            List<T> order = new ArrayList<>(contestants);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (T contestant : order) {
                turn.run(contestant, round);
            }
        }
    }
}
