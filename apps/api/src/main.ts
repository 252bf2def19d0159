import 'reflect-metadata';
import { hello } from '@focal/contracts';
console.log(hello);
