/**
 * Engines that run Python functions beyond one interpreter: Dask (delayed, futures, bags,
 * arrays, data frames), Ray (remote functions and actors), joblib and PySpark, as catalog
 * data. The function handed over runs on a cluster (`remote`) or in joblib's workers; the
 * calls that wait for results (`compute`, `ray.get`, `client.gather`, Spark actions) are
 * `offload` waits. Lazy steps (`bag.map(f)`, `rdd.map(f)`) only build a graph here: they
 * carry no category, only the offloaded callable and the type they return.
 *
 * The types are the catalog's own names for what these libraries return
 * (`dask.bag.Bag`, `pyspark.RDD`), reached through receivers like any other.
 */
import type { CatalogData, CatalogEntry, OffloadSpec } from '../../catalog';

const ON_CLUSTER: OffloadSpec = { arg: 0, pool: 'remote' };
/** Waiting for a cluster's results. */
const WAIT: CatalogEntry = { category: 'offload' };
/** Waiting, unless awaited on an asynchronous client (`await client.gather(...)`). */
const DUAL_WAIT: CatalogEntry = { category: 'offload', asyncWhenAwaited: true };
/** Submitting work without waiting for it (as `ThreadPoolExecutor.submit`). */
const SUBMIT: CatalogEntry = { category: 'offload', awaitable: true, weight: 1 };
/**
 * `persist`: on a distributed client (the way async code uses Dask) it returns at once and the
 * work goes on in the cluster; on the local schedulers it computes. A weak wait that does not block.
 */
const PERSIST = SUBMIT;

/** A lazy collection type's steps: each takes a function to run on the cluster, returns the collection. */
function lazySteps(type: string, steps: readonly string[], arg = 0): CatalogData {
  return Object.fromEntries(steps.map((step) => [`${type}.${step}`, { returns: type, offload: { arg, pool: 'remote' } }]));
}

/** Entries that return one type. */
function returning(type: string, names: readonly string[]): CatalogData {
  return Object.fromEntries(names.map((name) => [name, { returns: type }]));
}

/** The same entries under both import paths (`distributed.Client`, `dask.distributed.Client`). */
function bothPaths(entries: CatalogData): CatalogData {
  const out: CatalogData = {};
  for (const [key, entry] of Object.entries(entries)) {
    out[`distributed.${key}`] = entry;
    out[`dask.distributed.${key}`] = entry;
  }
  return out;
}

const DELAYED = 'dask.delayed.Delayed';
const BAG = 'dask.bag.Bag';
const ARRAY = 'dask.array.Array';
const FRAME = 'dask.dataframe.DataFrame';
const CLIENT = 'distributed.Client';
const FUTURE = 'distributed.Future';

/** Dask collections: building them is lazy; `compute` runs them and waits, `persist` starts them. */
const dask: CatalogData = {
  'dask.delayed': { returns: DELAYED, offload: ON_CLUSTER },
  'dask.delayed.delayed': { returns: DELAYED, offload: ON_CLUSTER },
  [`${DELAYED}.__call__`]: { returns: DELAYED },
  [`${DELAYED}.*`]: { returns: DELAYED },
  [`${DELAYED}.compute`]: WAIT,
  [`${DELAYED}.persist`]: PERSIST,
  'dask.compute': WAIT,
  'dask.persist': PERSIST,
  'dask.config.set': null,
  ...returning(BAG, ['dask.bag.from_sequence', 'dask.bag.read_text', 'dask.bag.from_delayed', 'dask.bag.range', 'dask.bag.concat']),
  'dask.bag.map': { returns: BAG, offload: ON_CLUSTER },
  'dask.bag.map_partitions': { returns: BAG, offload: ON_CLUSTER },
  [`${BAG}.*`]: { returns: BAG },
  ...lazySteps(BAG, ['map', 'map_partitions', 'filter', 'remove', 'starmap', 'groupby', 'foldby', 'fold', 'reduction', 'accumulate']),
  [`${BAG}.compute`]: WAIT,
  [`${BAG}.persist`]: PERSIST,
  [`${BAG}.take`]: WAIT,
  ...returning(ARRAY, [
    'dask.array.from_array',
    'dask.array.from_delayed',
    'dask.array.from_zarr',
    'dask.array.ones',
    'dask.array.zeros',
    'dask.array.empty',
    'dask.array.arange',
    'dask.array.concatenate',
    'dask.array.stack',
    'dask.array.random.random',
    'dask.array.random.normal',
  ]),
  'dask.array.map_blocks': { returns: ARRAY, offload: ON_CLUSTER },
  'dask.array.blockwise': { returns: ARRAY, offload: ON_CLUSTER },
  [`${ARRAY}.*`]: { returns: ARRAY, attribute: true },
  ...lazySteps(ARRAY, ['map_blocks', 'map_overlap']),
  [`${ARRAY}.compute`]: { category: 'offload', returns: 'numpy.ndarray' },
  [`${ARRAY}.persist`]: PERSIST,
  ...returning(FRAME, ['dask.dataframe.read_csv', 'dask.dataframe.read_parquet', 'dask.dataframe.read_json', 'dask.dataframe.from_pandas', 'dask.dataframe.from_delayed']),
  'dask.dataframe.map_partitions': { returns: FRAME, offload: ON_CLUSTER },
  [`${FRAME}.*`]: { returns: FRAME, attribute: true },
  ...lazySteps(FRAME, ['map_partitions', 'map_overlap', 'apply', 'map']),
  [`${FRAME}.compute`]: { category: 'offload', returns: 'pandas.DataFrame' },
  [`${FRAME}.head`]: { category: 'offload', returns: 'pandas.DataFrame' },
  [`${FRAME}.persist`]: PERSIST,
  [`${FRAME}.to_csv`]: WAIT,
  [`${FRAME}.to_parquet`]: WAIT,
};

/** dask.distributed: a client of a scheduler (a local cluster of processes, or a real one's address). */
const distributed: CatalogData = bothPaths({
  Client: { returns: CLIENT },
  get_client: { returns: CLIENT },
  LocalCluster: null,
  wait: DUAL_WAIT,
  as_completed: WAIT,
  fire_and_forget: null,
});
Object.assign(distributed, {
  [`${CLIENT}.__enter__`]: { returns: CLIENT },
  [`${CLIENT}.*`]: null,
  [`${CLIENT}.submit`]: { ...SUBMIT, returns: FUTURE, offload: ON_CLUSTER },
  [`${CLIENT}.map`]: { ...SUBMIT, offload: ON_CLUSTER },
  [`${CLIENT}.compute`]: { ...SUBMIT, returns: FUTURE },
  [`${CLIENT}.persist`]: SUBMIT,
  [`${CLIENT}.gather`]: DUAL_WAIT,
  [`${CLIENT}.scatter`]: DUAL_WAIT,
  [`${CLIENT}.run`]: { ...DUAL_WAIT, offload: ON_CLUSTER },
  [`${FUTURE}.*`]: null,
  [`${FUTURE}.result`]: DUAL_WAIT,
} satisfies CatalogData);

/** Ray: `@ray.remote` functions and actor classes, called with `.remote(...)` (see extract-remote.ts). */
const ray: CatalogData = {
  'ray.remote': { offload: ON_CLUSTER },
  'ray.get': WAIT,
  'ray.wait': WAIT,
  // Puts an object into the object store: a copy into shared memory, not computing.
  'ray.put': { returns: 'ray.ObjectRef' },
  'ray.init': null,
  'ray.shutdown': null,
  'ray.is_initialized': null,
  'ray.cancel': null,
  'ray.kill': null,
  'ray.get_actor': null,
};

/**
 * joblib: `Parallel(...)` runs the tasks `delayed(f)(x)` builds in loky's worker processes by
 * default, in threads with `prefer="threads"` or `backend="threading"`, on a cluster with the
 * Dask, Ray or Spark backends. The type of the `Parallel` object carries which.
 */
const joblib: CatalogData = {
  'joblib.Parallel': {
    returns: 'joblib.Parallel',
    returnsWhen: [
      { keyword: 'backend', values: ['loky', 'multiprocessing'], returns: 'joblib.Parallel' },
      { keyword: 'backend', values: ['threading'], returns: 'joblib.Parallel.threads' },
      { keyword: 'backend', values: ['dask', 'ray', 'spark'], returns: 'joblib.Parallel.cluster' },
      { keyword: 'prefer', values: ['threads'], returns: 'joblib.Parallel.threads' },
    ],
  },
  'joblib.Parallel.__enter__': { returns: 'joblib.Parallel' },
  'joblib.Parallel.__call__': { category: 'offload', taskPool: 'process' },
  'joblib.Parallel.threads.__enter__': { returns: 'joblib.Parallel.threads' },
  'joblib.Parallel.threads.__call__': { category: 'offload', taskPool: 'thread' },
  'joblib.Parallel.cluster.__enter__': { returns: 'joblib.Parallel.cluster' },
  'joblib.Parallel.cluster.__call__': { category: 'offload', taskPool: 'remote' },
  'joblib.delayed': { offload: { arg: 0, pool: 'process', inheritsPool: true } },
  'joblib.parallel_backend': null,
  'joblib.parallel_config': null,
  'joblib.cpu_count': null,
  'joblib.dump': 'file',
  'joblib.load': 'file',
};

const SPARK_CONTEXT = 'pyspark.SparkContext';
const SESSION = 'pyspark.sql.SparkSession';
const RDD = 'pyspark.RDD';
const SPARK_FRAME = 'pyspark.sql.DataFrame';
const WRITER = 'pyspark.sql.DataFrameWriter';

/**
 * PySpark: transformations are lazy and run their function on the executors; actions run
 * the job and wait for it. A UDF's function runs on the executors too.
 */
const spark: CatalogData = {
  ...returning(SPARK_CONTEXT, ['pyspark.SparkContext', 'pyspark.SparkContext.getOrCreate', 'pyspark.context.SparkContext']),
  [`${SESSION}.builder`]: { returns: `${SESSION}.Builder`, attribute: true },
  [`${SESSION}.Builder.*`]: { returns: `${SESSION}.Builder` },
  [`${SESSION}.Builder.getOrCreate`]: { returns: SESSION },
  [`${SESSION}.sparkContext`]: { returns: SPARK_CONTEXT, attribute: true },
  [`${SESSION}.read`]: { returns: 'pyspark.sql.DataFrameReader', attribute: true },
  [`${SESSION}.udf`]: { returns: 'pyspark.sql.UDFRegistration', attribute: true },
  [`${SESSION}.stop`]: null,
  ...returning(SPARK_FRAME, [`${SESSION}.createDataFrame`, `${SESSION}.sql`, `${SESSION}.table`, `${SESSION}.range`]),
  'pyspark.sql.DataFrameReader.*': { returns: SPARK_FRAME },
  'pyspark.sql.UDFRegistration.register': { offload: { arg: 1, pool: 'remote' } },
  ...returning(RDD, [`${SPARK_CONTEXT}.parallelize`, `${SPARK_CONTEXT}.textFile`, `${SPARK_CONTEXT}.wholeTextFiles`, `${SPARK_CONTEXT}.range`, `${SPARK_CONTEXT}.union`]),
  [`${SPARK_CONTEXT}.*`]: null,
  [`${RDD}.*`]: { returns: RDD },
  ...lazySteps(RDD, ['map', 'flatMap', 'mapPartitions', 'mapPartitionsWithIndex', 'filter', 'mapValues', 'flatMapValues', 'reduceByKey', 'groupBy', 'keyBy', 'sortBy']),
  ...Object.fromEntries(
    ['collect', 'count', 'take', 'first', 'top', 'takeOrdered', 'countByKey', 'countByValue', 'collectAsMap', 'isEmpty', 'sum', 'max', 'min', 'mean', 'saveAsTextFile', 'saveAsPickleFile'].map((action) => [`${RDD}.${action}`, WAIT]),
  ),
  [`${RDD}.reduce`]: { ...WAIT, offload: ON_CLUSTER },
  [`${RDD}.fold`]: { ...WAIT, offload: { arg: 1, pool: 'remote' } },
  [`${RDD}.foreach`]: { ...WAIT, offload: ON_CLUSTER },
  [`${RDD}.foreachPartition`]: { ...WAIT, offload: ON_CLUSTER },
  [`${SPARK_FRAME}.*`]: { returns: SPARK_FRAME, attribute: true },
  [`${SPARK_FRAME}.rdd`]: { returns: RDD, attribute: true },
  [`${SPARK_FRAME}.write`]: { returns: WRITER, attribute: true },
  ...lazySteps(SPARK_FRAME, ['mapInPandas', 'applyInPandas']),
  ...Object.fromEntries(['show', 'collect', 'count', 'take', 'first', 'head', 'tail'].map((action) => [`${SPARK_FRAME}.${action}`, WAIT])),
  [`${SPARK_FRAME}.toPandas`]: { category: 'offload', returns: 'pandas.DataFrame' },
  [`${SPARK_FRAME}.foreach`]: { ...WAIT, offload: ON_CLUSTER },
  [`${SPARK_FRAME}.foreachPartition`]: { ...WAIT, offload: ON_CLUSTER },
  [`${WRITER}.*`]: WAIT,
  ...returning(WRITER, ['mode', 'format', 'option', 'options', 'partitionBy', 'bucketBy', 'sortBy'].map((step) => `${WRITER}.${step}`)),
  'pyspark.sql.functions.udf': { offload: ON_CLUSTER },
  'pyspark.sql.functions.pandas_udf': { offload: ON_CLUSTER },
};

/** The scaling engines' part of the Python catalog. */
export const SCALING_CATALOG: CatalogData = { ...dask, ...distributed, ...ray, ...joblib, ...spark };
