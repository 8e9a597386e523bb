package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000);
    /** 60 a minute, so one token a second, and a burst of 3. */
    private final TokenBucket bucket = new TokenBucket(60, 3, now::get);

    @Test
    void aFullBucketGivesItsBurstThenSaysHowLongUntilTheNextToken() {
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake()).as("token %d", i).isZero();
        }
        assertThat(bucket.tryTake()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(400));
        assertThat(bucket.tryTake()).as("the wait shrinks as time passes").isEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
    }

    @Test
    void tokensComeBackSmoothlyAndNeverPastTheBurst() {
        for (int i = 0; i < 3; i++) {
            bucket.tryTake();
        }
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_500));
        assertThat(bucket.tryTake()).as("one and a half tokens came back").isZero();
        assertThat(bucket.tryTake()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));

        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake()).isZero();
        }
        assertThat(bucket.tryTake()).as("an idle hour fills only the burst").isPositive();
    }

    @Test
    void aRefusalTakesNothing() {
        for (int i = 0; i < 3; i++) {
            bucket.tryTake();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryTake()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(bucket.tryTake()).isZero();
    }
}
