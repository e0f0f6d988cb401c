/* The threaded program of the hosts' test page (tests/hosts/run_host.mjs): two pthreads each
   sum a series and main prints the total. Emscripten's pthreads need SharedArrayBuffer, which
   the browser gives only to a cross-origin isolated page, so the line appears only there. */
#include <pthread.h>
#include <stdio.h>

static int sums[2];

static void *sum_series(void *arg) {
  int index = *(int *)arg;
  int sum = 0;
  for (int k = 1; k <= 100; k++) sum += k * (index + 1);
  sums[index] = sum;
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  int indices[2] = {0, 1};
  for (int i = 0; i < 2; i++) {
    if (pthread_create(&threads[i], NULL, sum_series, &indices[i]) != 0) {
      printf("pthread_create failed\n");
      return 1;
    }
  }
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  printf("two threads summed %d\n", sums[0] + sums[1]);
  return 0;
}
