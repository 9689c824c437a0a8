// The type a shipped dashboard must satisfy: Grafana's published dashboard schema
// (@grafana/schema, the types Grafana's own code is written against) with two adaptations.
//
// 1. JSON has no TypeScript enums: every enum in the schema (ThresholdsMode, MappingType,
//    DashboardCursorSync, ...) is replaced by the union of its member values, so "absolute" or
//    1 pass where the schema says ThresholdsMode.Absolute or DashboardCursorSync.Crosshair, and
//    any other string or number fails.
// 2. The schema types a panel's options, fieldConfig.defaults.custom and targets as free-form
//    records (they belong to the panel or data source plugin). For the panel types the
//    dashboards use, they are checked against the plugins' published types: options and custom
//    field config of the timeseries, stat and table panels (top-level options may be left out,
//    Grafana fills in the plugin's defaults; what is written must have the right names and
//    types). A panel of any other type fails the check until it is added here.
// 3. A template variable may have `definition` (a string): Grafana's query variable editor
//    writes the query's display text there, the published VariableModel does not list it.
import type {
  Dashboard as SchemaDashboard,
  Panel as SchemaPanel,
  FieldConfigSource,
  VariableModel,
} from '@grafana/schema';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as Table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';

/** An enum type as the JSON values of its members, everything else unchanged (deeply). */
export type Json<T> = T extends string
  ? `${T}`
  : T extends number
    ? `${T}` extends `${infer N extends number}`
      ? N
      : number
    : T extends boolean | null | undefined
      ? T
      : T extends ReadonlyArray<infer U>
        ? Array<Json<U>>
        : T extends object
          ? { [K in keyof T]: Json<T[K]> }
          : T;

type TypedPanel<Type extends string, Options, Custom> = Omit<SchemaPanel, 'type' | 'options' | 'fieldConfig'> & {
  type: Type;
  options?: Partial<Options>;
  fieldConfig?: FieldConfigSource<Custom>;
};

export type Panel =
  | TypedPanel<'timeseries', TimeSeries.Options, TimeSeries.FieldConfig>
  | TypedPanel<'stat', Stat.Options, Record<string, never>>
  | TypedPanel<'table', Table.Options, Table.FieldConfig>;

type Variable = VariableModel & { definition?: string };

export type Dashboard = Json<
  Omit<SchemaDashboard, 'panels' | 'templating'> & {
    panels?: Panel[];
    templating?: { list?: Variable[] };
  }
>;
