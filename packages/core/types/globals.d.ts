// The few globals core uses beyond ECMAScript. Each exists in Node (>= 17) and in browsers and Web
// Workers alike; the build compiles with no Node or DOM library types so that nothing else creeps in.

/** HTML structured clone: a deep copy of plain data (objects, arrays, typed arrays). */
declare function structuredClone<T>(value: T): T;
